"use client";
import { organizationClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";
import { teamRoles } from "@/lib/auth/access";

/** better-auth's browser client against this server's /api/auth, with the team (organization) endpoints and kbuild's roles. */
export const authClient = createAuthClient({ plugins: [organizationClient({ roles: teamRoles })] });

/**
 * better-auth's error, said for a person. Codes kbuild knows get its own words;
 * anything else keeps better-auth's message, which never carries a secret.
 */
const MESSAGES: Record<string, string> = {
  USER_ALREADY_EXISTS: "An account with this email already exists. Sign in instead.",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: "An account with this email already exists. Sign in instead.",
  PASSWORD_TOO_SHORT: "This password is too short.",
  PASSWORD_TOO_LONG: "This password is too long.",
  INVALID_EMAIL: "This is not an email address.",
  INVALID_EMAIL_OR_PASSWORD: "Wrong email or password.",
  INVITATION_NOT_FOUND: "This invitation does not exist any more: it was used, revoked or has expired. Ask for a new link.",
  YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION: "This invitation is for another email address. Sign in with that one.",
  ORGANIZATION_ALREADY_EXISTS: "A team with this name already exists.",
  ORGANIZATION_SLUG_ALREADY_TAKEN: "A team with this name already exists.",
  USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION: "They are already a member of this team.",
  USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION: "They are already invited.",
};

export function errorText(error: { code?: string; message?: string; status?: number } | null | undefined): string {
  if (!error) return "Something went wrong.";
  if (error.status === 429) return "Too many attempts. Wait a minute and try again.";
  return (error.code && MESSAGES[error.code]) || error.message || "Something went wrong.";
}
