/**
 * ccache's stats log (CCACHE_STATSLOG): one record per compiler call, a
 * "# <file>" line followed by the counters that call touched. Only this
 * build's calls are in it, even when other builds share the cache.
 */
export interface CcacheStats {
  calls: number;
  hits: number;
  misses: number;
  /** Calls ccache could not cache (linking, preprocessing only, ...). */
  uncacheable: number;
}

export function parseCcacheStatsLog(text: string): CcacheStats {
  const stats: CcacheStats = { calls: 0, hits: 0, misses: 0, uncacheable: 0 };
  let record: string[] | null = null;
  const close = () => {
    if (!record) return;
    stats.calls++;
    if (record.includes("direct_cache_hit") || record.includes("preprocessed_cache_hit")) stats.hits++;
    else if (record.includes("cache_miss")) stats.misses++;
    else stats.uncacheable++;
  };
  for (const line of text.split("\n")) {
    if (line.startsWith("# ")) {
      close();
      record = [];
    } else if (record && line.trim()) {
      record.push(line.trim());
    }
  }
  close();
  return stats;
}
