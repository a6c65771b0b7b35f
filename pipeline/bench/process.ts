/**
 * Whole-process measurements: spawned commands, alternating with their baseline so machine noise hits both,
 * median wall time of ≥ 5 runs and peak RSS (from the kernel's rusage of the child), with the load average.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../testing/paths.js';
import type { BenchFigure } from './harness.js';

/** A command line to spawn: argv[0] is looked up in PATH; `cwd` defaults to the repository. */
export interface Spawned {
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Exit codes that count as done (default 0 only). */
  okCodes?: number[];
  /** Runs after the command ended (outside the timed region), e.g. to stop a server it talked to. */
  cleanup?: () => Promise<void>;
}

/** A command, or a factory making a fresh one per run (e.g. with a server started for it, untimed). */
export type SpawnedPerRun = Spawned | (() => Promise<Spawned>);

async function spawnPerRun(spec: SpawnedPerRun): Promise<ProcessRun> {
  const cmd = typeof spec === 'function' ? await spec() : spec;
  try {
    return await spawnOnce(cmd);
  } finally {
    await cmd.cleanup?.();
  }
}

export interface ProcessRun {
  ms: number;
  /** Peak resident set size in bytes (getrusage of the child, via /usr/bin/time when present). */
  maxRss: number;
}

const TIME = '/usr/bin/time';
const hasTime = fs.existsSync(TIME);

/** `node bin/csp.js ...args`: the installed CLI as users start it (needs `npm run build`). */
export function csp(args: string[], cwd?: string, env?: Record<string, string>): Spawned {
  return { argv: [process.execPath, path.join(repoRoot, 'bin/csp.js'), ...args], cwd, env };
}

/** Runs one command to completion; a non-zero exit fails the bench (a bench of a failing command measures nothing). */
export function spawnOnce(cmd: Spawned): Promise<ProcessRun> {
  const argv = hasTime ? [TIME, '-f', '%M', ...cmd.argv] : cmd.argv;
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(argv[0] as string, argv.slice(1), { cwd: cmd.cwd ?? repoRoot, env: { ...process.env, ...cmd.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (!(cmd.okCodes ?? [0]).includes(code ?? -1)) {
        reject(new Error(`bench: ${cmd.argv.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
        return;
      }
      const kb = hasTime ? Number(/(\d+)\s*$/.exec(stderr.trim())?.[1] ?? 0) : 0;
      resolve({ ms, maxRss: kb * 1024 });
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** The 1-minute load average, printed beside every whole-process figure. */
export function loadNote(): string {
  return `load ${os.loadavg()[0]?.toFixed(2) ?? '?'} on ${os.cpus().length} cores`;
}

/**
 * Median wall time (and median peak RSS) of `work` against `baseline`, spawned alternately `runs` times after
 * one warm-up each (page cache). `prepare` runs before every `work` run (e.g. to reset an output folder);
 * `work` and `baseline` may be factories that make a fresh command per run (e.g. with its own server).
 */
export async function compareProcesses(
  name: string,
  work: SpawnedPerRun,
  baselineName: string,
  baseline: SpawnedPerRun,
  options: { runs?: number; goal?: number; maxMs?: number; maxRss?: number; note?: string; prepare?: () => Promise<void> | void; prepareBaseline?: () => Promise<void> | void } = {},
): Promise<BenchFigure & { rss: number; baselineRss: number }> {
  if (options.maxRss !== undefined && !hasTime) throw new Error(`bench: ${name} has a peak-RSS goal, which needs GNU time at ${TIME}`);
  const runs = Math.max(5, options.runs ?? 5);
  const w: ProcessRun[] = [];
  const b: ProcessRun[] = [];
  await options.prepareBaseline?.();
  await spawnPerRun(baseline);
  await options.prepare?.();
  await spawnPerRun(work);
  for (let i = 0; i < runs; i++) {
    await options.prepareBaseline?.();
    b.push(await spawnPerRun(baseline));
    await options.prepare?.();
    w.push(await spawnPerRun(work));
  }
  const ms = median(w.map((r) => r.ms));
  const baselineMs = median(b.map((r) => r.ms));
  const rss = median(w.map((r) => r.maxRss));
  const baselineRss = median(b.map((r) => r.maxRss));
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  const note = [options.note, `peak RSS ${mb(rss)} vs ${mb(baselineRss)}`, loadNote()].filter(Boolean).join('; ');
  return { name: `[process] ${name}`, ms, baselineMs, baseline: baselineName, ratio: baselineMs > 0 ? ms / baselineMs : Infinity, goal: options.goal, maxMs: options.maxMs, maxRss: options.maxRss, note, rss, baselineRss };
}
