"use client";

import { useEffect, useState } from "react";

/**
 * The current time, ticking every `intervalMs` while `active`. It is null
 * during server rendering and hydration, so that nothing time-dependent
 * differs between the two.
 */
export function useNow(active: boolean, intervalMs = 1000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}
