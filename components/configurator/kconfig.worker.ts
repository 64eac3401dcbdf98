/// <reference lib="webworker" />
import { deserializeKconfig } from "@/lib/kconfig/engine/serialize";
import type { Kconfig } from "@/lib/kconfig/engine/kconfig";
import { ConfigSession } from "@/lib/kconfig/engine/session";
import type { ConfiguratorModel } from "@/lib/kconfig/model/types";
import { fetchPackedJson } from "./packedJson";
import type { FromWorker, ToWorker } from "./protocol";

// The tree lives here, off the page's thread: a toggle re-evaluates thousands of symbols.
// It is rebuilt when the model changes (another profile), and only the session when the base does.
let kconfig: Kconfig | null = null;
let loadMs = 0;
let session: ConfigSession | null = null;
const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

function state(result?: Extract<FromWorker, { type: "state" }>["result"]) {
  post({ type: "state", view: session!.view(), options: session!.options(), ...(result ? { result } : {}) });
}

/**
 * Fetches and rebuilds the tree; messages that arrive meanwhile wait for it.
 * The page asks as soon as it opens, before it knows the model is ready, and
 * again once it is: a URL already loaded (or loading) is not fetched twice, and
 * a model still being prepared (202) is left for the second ask.
 */
let loading: Promise<void> = Promise.resolve();
let loadedUrl: string | null = null;
function loadModel(url: string): Promise<void> {
  if (url === loadedUrl) return loading;
  loadedUrl = url;
  session = null;
  kconfig = null;
  loading = (async () => {
    const t0 = performance.now();
    const { status, body } = await fetchPackedJson<ConfiguratorModel & { error?: string }>(url);
    if (status === 202) {
      loadedUrl = null;
      return;
    }
    if (status !== 200) throw new Error(`the model could not be loaded: ${body.error ?? `the server answered ${status}`}`);
    kconfig = deserializeKconfig(body.model);
    loadMs = performance.now() - t0;
  })().catch((err: Error) => {
    loadedUrl = null;
    post({ type: "error", message: err.message });
  });
  return loading;
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  if (e.data.type !== "load") await loading;
  const msg = e.data;
  try {
    if (msg.type === "load") {
      void loadModel(msg.url);
      return;
    }
    if (msg.type === "init") {
      if (!kconfig) throw new Error("the configurator has no tree yet");
      const t0 = performance.now();
      session = new ConfigSession(kconfig, msg.base);
      const view = session.view();
      post({ type: "state", view, options: session.options(), baseWarnings: session.baseWarnings, timings: { loadMs, evaluateMs: performance.now() - t0 } });
      // While the page renders: what the first toggle would otherwise wait for.
      kconfig.eval.prepareForChanges();
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
