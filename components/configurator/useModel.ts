"use client";

import { useCallback, useEffect, useState } from "react";
import type { ConfiguratorOutline, ModelProgress } from "@/lib/kconfig/model/types";
import { fetchPackedJson } from "./packedJson";

export type ModelLoad =
  | { status: "loading" }
  | { status: "preparing"; progress: ModelProgress; state: string }
  | { status: "failed"; error: string }
  | { status: "ready"; model: ConfiguratorOutline };

const POLL_MS = 1500;

export const modelUrl = (source: string, arch: string, profile: string) =>
  `/api/v1/sources/${encodeURIComponent(source)}/kconfig?arch=${encodeURIComponent(arch)}&profile=${encodeURIComponent(profile)}`;

/**
 * The configurator model of (source, arch, profile): polls while a worker
 * prepares it. The page reads the model's outline; `onReady` gets the whole
 * model's URL at once and again when it is known to be ready, so that the Web
 * Worker fetches and parses it while the page handles its outline.
 */
export function useModel(source: string, arch: string, profile: string, onReady: (modelUrl: string) => void): { load: ModelLoad; retry: () => void } {
  const [load, setLoad] = useState<ModelLoad>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const url = modelUrl(source, arch, profile);
    const outlineUrl = `${url}&part=outline`;
    // Most opens find the model prepared: the Web Worker starts on it alongside the outline.
    onReady(url);
    setLoad({ status: "loading" });
    const poll = async (method: "GET" | "POST") => {
      try {
        const { status, body } = await fetchPackedJson<ConfiguratorOutline & { progress: ModelProgress; state: string; error?: string }>(outlineUrl, {
          method,
          onOk: () => !stopped && onReady(url),
        });
        if (stopped) return;
        // The configurator's open is measured (bench/configurator-open.ts) by these marks.
        performance.mark("kconfig:model-parsed");
        if (status === 200) return setLoad({ status: "ready", model: body });
        if (status === 202) {
          setLoad({ status: "preparing", progress: body.progress, state: body.state });
          timer = setTimeout(() => void poll("GET"), POLL_MS);
          return;
        }
        setLoad({ status: "failed", error: body.error ?? `the server answered ${status}` });
      } catch (err) {
        if (!stopped) setLoad({ status: "failed", error: `could not reach the server: ${(err as Error).message}` });
      }
    };
    void poll(attempt > 0 ? "POST" : "GET");
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [source, arch, profile, attempt, onReady]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { load, retry };
}
