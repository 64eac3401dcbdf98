import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { WorkerStatus } from "@/components/WorkerStatus";
import { AccountMenu } from "@/components/auth/AccountMenu";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "kbuild", template: "%s · kbuild" },
  description: "Configure and build Rust-enabled Linux kernels",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans text-sm">
        <header className="sticky top-0 z-20 border-b border-zinc-800 bg-zinc-900 text-zinc-100">
          <nav className="mx-auto flex h-11 max-w-7xl items-center gap-5 px-4">
            <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight text-white">
              <span aria-hidden className="rounded bg-orange-600 px-1 font-mono text-xs leading-5">kb</span>
              kbuild
            </Link>
            <Link href="/" className="text-zinc-300 hover:text-white" data-testid="nav-builds">
              Builds
            </Link>
            <Link href="/builds/new" className="text-zinc-300 hover:text-white" data-testid="nav-new-build">
              New build
            </Link>
            <Link href="/presets" className="text-zinc-300 hover:text-white" data-testid="nav-presets">
              Presets
            </Link>
            <Link href="/sources" className="text-zinc-300 hover:text-white" data-testid="nav-sources">
              Sources
            </Link>
            <Link href="/settings/tokens" className="text-zinc-300 hover:text-white" data-testid="nav-tokens">
              API tokens
            </Link>
            <Link href="/settings/retention" className="text-zinc-300 hover:text-white" data-testid="nav-retention">
              Retention
            </Link>
            <div className="ml-auto rounded bg-white px-2 py-0.5">
              <WorkerStatus />
            </div>
            <AccountMenu />
          </nav>
        </header>
        <main className="mx-auto max-w-7xl px-4 py-5">{children}</main>
      </body>
    </html>
  );
}
