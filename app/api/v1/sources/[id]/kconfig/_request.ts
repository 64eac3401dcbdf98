import type { ModelRequest } from "@/lib/kconfig/model/service";

/** The model a request names: the source from the path, arch and profile from the query. */
export function modelRequest(id: string, url: string, body?: { arch?: unknown; profile?: unknown }): ModelRequest {
  const q = new URL(url).searchParams;
  const pick = (name: "arch" | "profile", fallback: string) => {
    const v = body?.[name] ?? q.get(name) ?? fallback;
    return typeof v === "string" ? v : fallback;
  };
  return { source: id, arch: pick("arch", "x86_64"), profile: pick("profile", "") };
}
