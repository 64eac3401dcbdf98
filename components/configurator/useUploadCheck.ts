"use client";

import { useEffect, useState } from "react";

export type UploadCheck =
  | { status: "idle" }
  | { status: "checking"; message: string }
  | { status: "done"; warnings: { line: number; text: string; message: string }[] }
  | { status: "unavailable"; message: string };

/**
 * Per-line warnings for an uploaded .config against the chosen tree (unknown
 * symbols, bad values, junk), from the server's copy of the tree's model. A
 * model still being prepared is waited for; nothing here blocks submitting.
 */
export function useUploadCheck(source: string, profile: string, text: string | null): UploadCheck {
  const [check, setCheck] = useState<UploadCheck>({ status: "idle" });
  useEffect(() => {
    if (!text || !source || !profile) {
      setCheck({ status: "idle" });
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      try {
        const res = await fetch(`/api/v1/sources/${encodeURIComponent(source)}/kconfig/check`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ arch: "x86_64", profile, text }),
        });
        const body = await res.json();
        if (stopped) return;
        if (res.status === 200) return setCheck({ status: "done", warnings: body.warnings });
        if (res.status === 202) {
          setCheck({ status: "checking", message: `checking the file against ${source}: ${body.progress?.message ?? "preparing the tree's model"}…` });
          timer = setTimeout(() => void ask(), 2000);
          return;
        }
        setCheck({ status: "unavailable", message: body.error ?? `the server answered ${res.status}` });
      } catch (err) {
        if (!stopped) setCheck({ status: "unavailable", message: (err as Error).message });
      }
    };
    setCheck({ status: "checking", message: `checking the file against ${source}…` });
    void ask();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [source, profile, text]);
  return check;
}
