/** Runs the built CLI (bin/csp.js, as users do) in a child process and measures its peak memory. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './paths.js';

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the whole process (worker included), in MiB. */
  maxRssMb: number;
  /** Wall time in milliseconds. */
  ms: number;
}

/** `csp ...argv` as a child process; killed after `timeoutMs` (then `code` is null). Needs `npm run build`. */
export async function runCliChild(argv: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ChildRun> {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'csp-rss-')), 'rss');
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(repoRoot, 'pipeline/testing/measure-rss.mjs'), ...argv], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env, CSP_TEST_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    if (stdout.length < 1_000_000) stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 1_000_000) stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  const kib = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) : 0;
  fs.rmSync(path.dirname(rssFile), { recursive: true, force: true });
  return { code, stdout, stderr, maxRssMb: Math.round(kib / 1024), ms: Date.now() - started };
}
