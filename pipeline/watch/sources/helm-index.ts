/**
 * A streaming reader for Helm `index.yaml`: keeps only the entries of the wanted charts and drops every
 * other line as it arrives, so a 60 MB index costs the wanted charts' text, not the index's. JSON
 * indexes (rare) are buffered up to a cap and parsed whole.
 */
import { parse as parseYaml } from 'yaml';
import type { StreamConsumer } from '../fetcher.js';

/** Largest text kept for one chart's entries, and largest JSON index (both 64 MiB). */
export const MAX_KEPT_BYTES = 64 * 1024 * 1024;

/** One index entry as Helm writes it (the fields csp reads). */
export interface IndexEntry {
  version?: unknown;
  digest?: unknown;
  kubeVersion?: unknown;
  created?: unknown;
  removed?: unknown;
  deprecated?: unknown;
  urls?: unknown;
}

export type IndexResult = Record<string, IndexEntry[]>;

/** Consumes index bytes chunk by chunk; `end()` parses the kept entries. Throws Error on garbage. */
export function helmIndexConsumer(wanted: readonly string[]): StreamConsumer<IndexResult> & { retainedBytes(): number } {
  const want = new Set(wanted);
  const decoder = new TextDecoder();
  let partial = '';
  let mode: 'start' | 'yaml' | 'json' = 'start';
  let json = '';
  let sawEntries = false;
  let inEntries = false;
  let chartIndent = -1;
  let current: string | undefined;
  const kept = new Map<string, string[]>();
  const keptBytes = new Map<string, number>();

  function line(text: string): void {
    if (mode === 'start') {
      const trimmed = text.trim();
      if (!trimmed || trimmed.startsWith('#')) return;
      mode = trimmed.startsWith('{') ? 'json' : 'yaml';
      if (mode === 'json') {
        json += `${text}\n`;
        return;
      }
    }
    if (mode === 'json') {
      json += `${text}\n`;
      if (json.length > MAX_KEPT_BYTES) throw new Error(`JSON index larger than ${MAX_KEPT_BYTES} bytes`);
      return;
    }
    const indent = text.length - text.trimStart().length;
    const body = text.trim();
    if (!body || body.startsWith('#')) {
      if (current) keep(current, text);
      return;
    }
    if (indent === 0) {
      inEntries = /^entries\s*:\s*$/.test(body) || /^"entries"\s*:\s*$/.test(body);
      sawEntries ||= inEntries;
      current = undefined;
      return;
    }
    if (!inEntries) return;
    if (chartIndent < 0 && !body.startsWith('-')) chartIndent = indent;
    if (indent === chartIndent && !body.startsWith('-')) {
      const m = /^(["']?)(.+?)\1\s*:\s*(.*)$/.exec(body);
      if (!m) throw new Error(`line "${body.slice(0, 60)}" under entries is not a chart name`);
      current = want.has(m[2]!) ? m[2] : undefined;
      if (current && m[3]) keep(current, `${' '.repeat(indent)}${m[3]}`);
      return;
    }
    if (current) keep(current, text);
  }

  function keep(chart: string, text: string): void {
    const size = (keptBytes.get(chart) ?? 0) + text.length + 1;
    if (size > MAX_KEPT_BYTES) throw new Error(`entries of ${chart} exceed ${MAX_KEPT_BYTES} bytes`);
    keptBytes.set(chart, size);
    let lines = kept.get(chart);
    if (!lines) kept.set(chart, (lines = []));
    lines.push(text);
  }

  function feed(text: string): void {
    partial += text;
    let start = 0;
    let nl: number;
    while ((nl = partial.indexOf('\n', start)) >= 0) {
      line(partial.charCodeAt(nl - 1) === 13 ? partial.slice(start, nl - 1) : partial.slice(start, nl));
      start = nl + 1;
    }
    partial = partial.slice(start);
    if (partial.length > 1024 * 1024) throw new Error('a line longer than 1 MiB');
  }

  return {
    /** Characters held right now (kept entries, JSON text, the unfinished line): the memory bound. */
    retainedBytes: () => [...keptBytes.values()].reduce((a, b) => a + b, 0) + json.length + partial.length,
    write: (chunk) => feed(decoder.decode(chunk, { stream: true })),
    end() {
      feed(`${decoder.decode()}\n`);
      if (mode === 'json') return fromJson(json, want);
      if (!sawEntries) throw new Error('no "entries:" key (not a Helm index)');
      const result: IndexResult = {};
      for (const [chart, lines] of kept) {
        const value = parseYaml(lines.join('\n'), { maxAliasCount: 100 }) as unknown;
        if (value !== null && !Array.isArray(value)) throw new Error(`entries of ${chart} are not a list`);
        result[chart] = (value ?? []) as IndexEntry[];
      }
      return result;
    },
  };
}

function fromJson(text: string, want: Set<string>): IndexResult {
  const value = JSON.parse(text) as { entries?: Record<string, IndexEntry[]> };
  if (typeof value !== 'object' || value === null || typeof value.entries !== 'object' || value.entries === null) {
    throw new Error('no "entries" object (not a Helm index)');
  }
  const result: IndexResult = {};
  for (const chart of want) {
    const list = value.entries[chart];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new Error(`entries of ${chart} are not a list`);
    result[chart] = list;
  }
  return result;
}
