/// <reference lib="webworker" />
import { deserializeKconfig } from "@/lib/kconfig/engine/serialize";
import { ConfigSession } from "@/lib/kconfig/engine/session";
import type { FromWorker, ToWorker } from "./protocol";

// The tree lives here, off the page's thread: a toggle re-evaluates thousands of symbols.
let session: ConfigSession | null = null;
const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

function state(result?: Extract<FromWorker, { type: "state" }>["result"]) {
  post({ type: "state", view: session!.view(), options: session!.options(), ...(result ? { result } : {}) });
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  try {
    if (msg.type === "init") {
      session = new ConfigSession(deserializeKconfig(msg.model), msg.base);
      post({ type: "state", view: session.view(), options: session.options(), baseWarnings: session.baseWarnings });
      return;
    }
    if (!session) throw new Error("the configurator has no tree yet");
    switch (msg.type) {
      case "set":
        state({ ...session.set(msg.symbol, msg.value), action: `CONFIG_${msg.symbol}=${msg.value}` });
        return;
      case "setMany": {
        // Quick toggles set several symbols; the changes of all of them are reported together.
        const changes = new Map<string, { symbol: string; before: string; after: string }>();
        const errors: string[] = [];
        for (const { symbol, value } of msg.values) {
          const r = session.set(symbol, value);
          if (!r.ok && r.error) errors.push(r.error);
          for (const c of r.changes) changes.set(c.symbol, { ...c, before: changes.get(c.symbol)?.before ?? c.before });
        }
        const merged = [...changes.values()].filter((c) => c.before !== c.after);
        state({ ok: !errors.length, ...(errors.length ? { error: errors.join("; ") } : {}), changes: merged, action: msg.values.map((v) => `CONFIG_${v.symbol}=${v.value}`).join(", ") });
        return;
      }
      case "unset":
        state({ ...session.unset(msg.symbol), action: `forget CONFIG_${msg.symbol}` });
        return;
      case "clear":
        state({ ...session.clear(), action: "start over" });
        return;
      case "detail":
        post({ type: "detail", detail: session.detail(msg.symbol) });
        return;
    }
  } catch (err) {
    post({ type: "error", message: (err as Error).message });
  }
};
