import type { Assignment, SessionView, SetResult, SymbolDetail } from "@/lib/kconfig/engine/session";
import type { SerializedModel } from "@/lib/kconfig/engine/serialize";

/** Messages between the configurator page and its Web Worker, which holds the evaluated tree. */
export type ToWorker =
  | { type: "init"; model: SerializedModel; base: string }
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
    }
  | { type: "detail"; detail: SymbolDetail }
  | { type: "error"; message: string };
