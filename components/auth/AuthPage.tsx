import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth";
import { sessionUser } from "@/lib/auth/current";
import { localPath } from "@/lib/auth/local-path";
import { AuthForm } from "./AuthForm";

export type AuthSearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The sign-in and sign-up pages: someone already signed in goes on to `next`; the rest get the form. */
export async function AuthPage({ mode, searchParams }: { mode: "sign-in" | "sign-up"; searchParams: AuthSearchParams }) {
  const sp = await searchParams;
  const next = typeof sp.next === "string" ? sp.next : undefined;
  if (await sessionUser(await headers())) redirect(localPath(next));
  const email = typeof sp.email === "string" ? sp.email : undefined;
  return <AuthForm mode={mode} next={next} email={email} minPasswordLength={MIN_PASSWORD_LENGTH} />;
}
