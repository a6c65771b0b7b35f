/**
 * Test harness for the Go reference renderer (main.go): builds it once per source hash into the temp
 * directory with Debian's Go 1.19 + Sprig 3.2.3, and runs batches of template cases through it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../../core/errors.js';
import { run } from '../../core/run.js';

/** Directory holding main.go. */
export const oracleSourceDir = path.dirname(fileURLToPath(import.meta.url));

/** Environment for building Go programs outside modules against Debian's GOPATH. */
export const goBuildEnv: Record<string, string> = {
  GO111MODULE: 'off',
  GOPATH: '/usr/share/gocode',
  GOCACHE: path.join(os.tmpdir(), 'csp-go-cache'),
};

/** One template case for the oracle (and the TS engine). */
export interface OracleCase {
  name: string;
  template: string;
  /** JSON-encodable data; numbers decode as float64, tagged objects ({"$int": "5"}) as other Go types. */
  data?: unknown;
  delims?: [string, string];
  missingKey?: 'default' | 'zero' | 'error';
  funcs?: 'none' | 'sprig' | 'hermetic';
  /** Templates parsed before the main one, each under its own name. */
  before?: { name: string; text: string }[];
  /** Templates parsed after the main one (later definitions override earlier ones). */
  after?: { name: string; text: string }[];
  /** Template to execute (default: name). */
  execute?: string;
}

export interface OracleResult {
  output?: string;
  error?: string;
}

/** Builds `go build` output for a Go source directory, cached under the temp dir by source hash. */
export async function buildGoProgram(sourceDir: string, label: string): Promise<string> {
  const hash = createHash('sha256');
  for (const f of ['main.go']) hash.update(readFileSync(path.join(sourceDir, f)));
  const dir = path.join(os.tmpdir(), `csp-${label}-${hash.digest('hex').slice(0, 16)}`);
  const binary = path.join(dir, label);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const tmp = `${binary}.${process.pid}`;
  try {
    await run('go', ['build', '-o', tmp, '.'], { cwd: sourceDir, env: goBuildEnv, timeoutMs: 300_000 });
  } catch (error) {
    if (error instanceof ToolError && error.code === 'TOOL_MISSING') {
      throw new ToolError('GO_MISSING', 'the Go toolchain is required for the template differential tests', {
        tool: 'go',
        details: 'Install it: apt-get install -y golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev',
        cause: error,
      });
    }
    throw error;
  }
  renameSync(tmp, binary);
  return binary;
}

/** Builds (or reuses) the oracle binary; fails with GO_MISSING when Go is not installed. */
export async function buildOracle(): Promise<string> {
  return buildGoProgram(oracleSourceDir, 'template-oracle');
}

/** Runs a batch of cases through the oracle and returns one result per case. */
export async function runOracle(cases: OracleCase[], binary?: string): Promise<OracleResult[]> {
  const bin = binary ?? (await buildOracle());
  const res = await run(bin, [], { cwd: os.tmpdir(), input: JSON.stringify(cases), timeoutMs: 120_000 });
  return JSON.parse(res.stdout) as OracleResult[];
}
