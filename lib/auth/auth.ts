import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { organization } from "better-auth/plugins/organization";
import { DEVELOPMENT_AUTH_SECRET, config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { teamRoles } from "./access";
import { inheritDefaultTeam } from "./first-user";

/** Shortest password accepted at sign-up; better-auth answers "Password too short" below it. */
export const MIN_PASSWORD_LENGTH = 10;
/** How long an invitation link stays valid. */
export const INVITATION_DAYS = 7;

/**
 * better-auth refuses a state-changing request whose Origin it does not trust
 * (the CSRF check). kbuild is reached under whatever name its operator gives
 * it (localhost, an IP, a host name, behind a proxy), so without
 * BETTER_AUTH_URL the trusted origin is the one the request was addressed to:
 * a page of this server posting to this server passes, another site's page
 * does not.
 */
function sameOrigin(request?: Request): string[] {
  if (!request) return [];
  const protocol = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || new URL(request.url).protocol.replace(":", "");
  return [request.headers.get("x-forwarded-host"), request.headers.get("host")].flatMap((host) => (host ? [`${protocol}://${host.split(",")[0]!.trim()}`] : []));
}

/**
 * Sign-in and sign-up attempts per client address (Next.js passes the socket's
 * as X-Forwarded-For) and per minute. better-auth's own default (3 in 10 s) is
 * for public sites; a team that signs in together from one office, or a
 * browser retrying after a typo, would hit it. The limit is on by default in
 * every environment, not only in production, so the tests see what users get.
 */
function attemptLimit(perMinute: number) {
  const rule = { window: 60, max: perMinute };
  // Other auth routes keep better-auth's default (100 requests in 10 s).
  return { enabled: perMinute > 0, window: 10, max: 100, customRules: { "/sign-in/*": rule, "/sign-up/*": rule } };
}

function createAuth() {
  const { authSecret, authAttemptsPerMinute } = config();
  if (authSecret === DEVELOPMENT_AUTH_SECRET && process.env.NODE_ENV === "production") {
    console.warn("[auth] BETTER_AUTH_SECRET is not set: sessions are signed with the public development secret. Set it before anyone else can reach this server.");
  }
  return betterAuth({
    secret: authSecret,
    database: prismaAdapter(db(), { provider: "postgresql" }),
    trustedOrigins: sameOrigin,
    rateLimit: attemptLimit(authAttemptsPerMinute),
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, autoSignIn: true },
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            await inheritDefaultTeam(db(), user.id);
          },
        },
      },
    },
    plugins: [
      organization({
        roles: teamRoles,
        creatorRole: "owner",
        invitationExpiresIn: INVITATION_DAYS * 24 * 60 * 60,
        cancelPendingInvitationsOnReInvite: true,
      }),
      // Lets server actions that call auth.api set the session cookie.
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

// One instance per process, made on first use (not at import, so `next build` needs no database).
const holder = globalThis as unknown as { kbuildAuth?: Auth };

export function auth(): Auth {
  holder.kbuildAuth ??= createAuth();
  return holder.kbuildAuth;
}
