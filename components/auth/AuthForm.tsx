"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { localPath } from "@/lib/auth/local-path";
import { type FormEvent, useState } from "react";
import { authClient, errorText } from "./client";

/**
 * Sign-up and sign-in: one form, two modes. After either, the browser goes to
 * `next` (an invitation, say) or the build list, which sends someone in no
 * team yet on to create one.
 */
export function AuthForm({ mode, next, email: presetEmail, minPasswordLength }: { mode: "sign-up" | "sign-in"; next?: string; email?: string; minPasswordLength: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const target = localPath(next);
  const carry = next ? `?next=${encodeURIComponent(next)}` : "";

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(null);
    const { error } =
      mode === "sign-up"
        ? await authClient.signUp.email({ name: String(form.get("name") ?? "").trim() || email, email, password })
        : await authClient.signIn.email({ email, password });
    setBusy(false);
    if (error) return setError(errorText(error));
    router.push(target);
    router.refresh();
  }

  const input = "mt-1 w-full rounded-md border border-zinc-300 px-2 py-1.5 focus:border-sky-600 focus:outline-none";
  return (
    <form onSubmit={submit} className="mx-auto mt-10 max-w-sm space-y-3 rounded-md border border-zinc-200 bg-white p-5" data-testid={`${mode}-form`}>
      <h1 className="text-lg font-semibold">{mode === "sign-up" ? "Create your account" : "Sign in"}</h1>
      {mode === "sign-up" && (
        <label className="block">
          Name
          <input name="name" autoComplete="name" className={input} data-testid="auth-name" />
        </label>
      )}
      <label className="block">
        Email
        <input name="email" type="email" required autoComplete="email" defaultValue={presetEmail} className={input} data-testid="auth-email" />
      </label>
      <label className="block">
        Password
        <input
          name="password"
          type="password"
          required
          autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
          className={input}
          data-testid="auth-password"
        />
        {mode === "sign-up" && <span className="text-xs text-zinc-500">at least {minPasswordLength} characters</span>}
      </label>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-2 py-1 text-red-900" data-testid="auth-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy} className="w-full rounded-md bg-emerald-700 px-3 py-1.5 font-medium text-white hover:bg-emerald-800 disabled:opacity-50" data-testid="auth-submit">
        {mode === "sign-up" ? "Sign up" : "Sign in"}
      </button>
      <p className="text-xs text-zinc-600">
        {mode === "sign-up" ? (
          <>Have an account? <Link href={`/sign-in${carry}`} className="text-sky-700 hover:underline">Sign in</Link></>
        ) : (
          <>New here? <Link href={`/sign-up${carry}`} className="text-sky-700 hover:underline">Create an account</Link></>
        )}
      </p>
    </form>
  );
}
