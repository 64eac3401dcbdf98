"use client";

import { useCallback, useEffect, useState } from "react";
import type { ConfiguratorModel, ModelProgress } from "@/lib/kconfig/model/types";

export type ModelLoad =
  | { status: "loading" }
  | { status: "preparing"; progress: ModelProgress; state: string }
  | { status: "failed"; error: string }
  | { status: "ready"; model: ConfiguratorModel };

const POLL_MS = 1500;

/** The configurator model of (source, arch, profile): polls while a worker prepares it. */
export function useModel(source: string, arch: string, profile: string): { load: ModelLoad; retry: () => void } {
  const [load, setLoad] = useState<ModelLoad>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const url = `/api/v1/sources/${encodeURIComponent(source)}/kconfig?arch=${encodeURIComponent(arch)}&profile=${encodeURIComponent(profile)}`;
    setLoad({ status: "loading" });
    const poll = async (method: "GET" | "POST") => {
      try {
        const res = await fetch(url, { method, headers: { Accept: "application/json" } });
        const body = await res.json();
        if (stopped) return;
        if (res.status === 200) return setLoad({ status: "ready", model: body as ConfiguratorModel });
        if (res.status === 202) {
          setLoad({ status: "preparing", progress: body.progress, state: body.state });
          timer = setTimeout(() => void poll("GET"), POLL_MS);
          return;
        }
        setLoad({ status: "failed", error: body.error ?? `the server answered ${res.status}` });
      } catch (err) {
        if (!stopped) setLoad({ status: "failed", error: `could not reach the server: ${(err as Error).message}` });
      }
    };
    void poll(attempt > 0 ? "POST" : "GET");
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [source, arch, profile, attempt]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { load, retry };
}
