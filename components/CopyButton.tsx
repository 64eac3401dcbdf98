"use client";

import { useState } from "react";

/** Copies `text` to the clipboard. */
export function CopyButton({ text, label = "copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="rounded border border-zinc-300 bg-white px-1.5 py-px text-[11px] text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 1200);
        } catch {
          // Clipboard access denied (insecure context): the text stays selectable.
        }
      }}
      title={`Copy ${text}`}
    >
      {copied ? "copied" : label}
    </button>
  );
}
