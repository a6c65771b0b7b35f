/** Tiny benchmark harness: every figure is a ratio against a baseline measured in the same process. */
import { performance } from 'node:perf_hooks';

export interface BenchFigure {
  name: string;
  /** Median milliseconds of the measured work and of its baseline. */
  ms: number;
  baselineMs: number;
  baseline: string;
  ratio: number;
  /** The goal for `ratio` (≤), when the issue sets one. */
  goal?: number;
  /** An absolute ceiling for `ms` as well (e.g. "< 0.5 s"). */
  maxMs?: number;
  /** Peak resident set size of the measured work in bytes, and a ceiling for it (whole-process rows). */
  rss?: number;
  maxRss?: number;
  note?: string;
}

/** Median wall time in ms of `fn` over `runs` runs after `warmup` runs. */
export async function medianMs(fn: () => unknown, runs = 7, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/** Measures `work` against `baseline` alternately (so machine noise hits both) and returns the ratio. */
export async function compare(
  name: string,
  work: () => unknown,
  baselineName: string,
  baseline: () => unknown,
  options: { runs?: number; goal?: number; maxMs?: number; note?: string } = {},
): Promise<BenchFigure> {
  const runs = options.runs ?? 7;
  const w: number[] = [];
  const b: number[] = [];
  await work();
  await baseline();
  for (let i = 0; i < runs; i++) {
    b.push(await medianMs(baseline, 1, 0));
    w.push(await medianMs(work, 1, 0));
  }
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  const ms = med(w);
  const baselineMs = med(b);
  return { name, ms, baselineMs, baseline: baselineName, ratio: baselineMs > 0 ? ms / baselineMs : Infinity, goal: options.goal, maxMs: options.maxMs, note: options.note };
}

/** Prints figures as a table; returns false when a figure misses its goal. */
export function printFigures(figures: BenchFigure[], write: (line: string) => void): boolean {
  let ok = true;
  for (const f of figures) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    const goal = [f.goal !== undefined && `≤ ${f.goal}×`, f.maxMs !== undefined && `< ${f.maxMs} ms`, f.maxRss !== undefined && `peak RSS ≤ ${mb(f.maxRss)}`].filter(Boolean).join(' and ');
    const rssMet = f.maxRss === undefined || (f.rss !== undefined && f.rss > 0 && f.rss <= f.maxRss);
    const met = (f.goal === undefined || f.ratio <= f.goal) && (f.maxMs === undefined || f.ms < f.maxMs) && rssMet;
    const verdict = goal ? `  (goal ${goal}: ${met ? 'met' : 'MISSED'})` : '';
    if (!met) ok = false;
    write(`${f.name}: ${f.ms.toFixed(2)} ms vs ${f.baseline} ${f.baselineMs.toFixed(2)} ms = ${f.ratio.toFixed(2)}×${verdict}${f.note ? ` — ${f.note}` : ''}`);
  }
  return ok;
}
