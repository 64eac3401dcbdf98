import type { Assignment, SessionView, SetResult, SymbolDetail } from "@/lib/kconfig/engine/session";

/** Messages between the configurator page and its Web Worker, which holds the evaluated tree. */
export type ToWorker =
  /** Fetch and parse the whole configurator model (the page has only its outline). */
  | { type: "load"; url: string }
  /** A session on the loaded tree, from a base .config's text. */
  | { type: "init"; base: string }
  | { type: "set"; symbol: string; value: string }
  | { type: "setMany"; values: Assignment[] }
  | { type: "unset"; symbol: string }
  | { type: "clear" }
  | { type: "detail"; symbol: string };

export type FromWorker =
  | {
      type: "state";
      view: SessionView;
      options: Assignment[];
      /** What the last action did; absent after init. */
      result?: SetResult & { action: string };
      baseWarnings?: { line: number; text: string; message: string }[];
      /** After init: where the Web Worker spent its time — fetching and rebuilding the tree, then the session (measured by the configurator bench). */
      timings?: { loadMs: number; evaluateMs: number };
    }
  | { type: "detail"; detail: SymbolDetail }
  | { type: "error"; message: string };
