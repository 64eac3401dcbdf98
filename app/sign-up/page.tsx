import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/AuthForm";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth";
import { sessionUser } from "@/lib/auth/current";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const next = typeof sp.next === "string" ? sp.next : undefined;
  if (await sessionUser(await headers())) redirect(next?.startsWith("/") && !next.startsWith("//") ? next : "/");
  const email = typeof sp.email === "string" ? sp.email : undefined;
  return <AuthForm mode="sign-up" next={next} email={email} minPasswordLength={MIN_PASSWORD_LENGTH} />;
}
