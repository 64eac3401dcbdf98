"use client";

import { useEffect } from "react";

/** Shown when a page fails to render (e.g. the database is unreachable). */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="mx-auto mt-16 max-w-lg rounded-md border border-red-200 bg-red-50 p-6">
      <h1 className="text-base font-semibold text-red-900">This page could not be loaded</h1>
      <p className="mt-2 text-red-800">
        The server hit an error{error.digest ? ` (reference ${error.digest})` : ""}. If it keeps happening, check that
        PostgreSQL and Redis are running and look at the web server&apos;s log.
      </p>
      <button type="button" onClick={reset} className="mt-4 rounded border border-red-300 bg-white px-3 py-1 text-red-900 hover:bg-red-100">
        Try again
      </button>
    </div>
  );
}
