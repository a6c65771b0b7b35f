/**
 * Test support: builds the Go reference program main.go beside this file (Sprig 3.2.3, yaml.v2/v3 from
 * Debian's GOPATH) once per source hash into the temp directory and runs batches of cases through it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../../core/errors.js';
import { run } from '../../core/run.js';

const sourceDir = path.dirname(fileURLToPath(import.meta.url));

export interface OracleCase {
  fn?: string;
  args?: unknown[];
  template?: string;
  data?: unknown;
  helm?: 'toYaml' | 'toYamlPretty' | 'toJson' | 'toToml' | 'parseYaml';
  value?: unknown;
  text?: string;
}

export interface OracleResult {
  value?: unknown;
  out?: string;
  error?: string;
}

/** Builds (or reuses) the oracle binary; fails with a clear message when Go is not installed. */
export async function buildGoOracle(): Promise<string> {
  const source = readFileSync(path.join(sourceDir, 'main.go'));
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `csp-go-funcs-${hash}`);
  const binary = path.join(dir, 'go-funcs');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const tmp = `${binary}.${process.pid}`;
  try {
    await run('go', ['build', '-o', tmp, '.'], {
      cwd: sourceDir,
      env: { GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: path.join(os.tmpdir(), 'csp-go-cache') },
      timeoutMs: 300_000,
    });
  } catch (error) {
    if (error instanceof ToolError && error.code === 'TOOL_MISSING') {
      throw new ToolError('GO_MISSING', 'the Go toolchain is required for the differential function tests', {
        tool: 'go',
        details: 'Install it: apt-get install -y golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev golang-gopkg-yaml.v3-dev',
        cause: error,
      });
    }
    throw error;
  }
  renameSync(tmp, binary);
  return binary;
}

/** Runs a batch of cases through the oracle and returns one result per case. */
export async function runGoOracle(binary: string, cases: OracleCase[]): Promise<OracleResult[]> {
  const res = await run(binary, [], { cwd: os.tmpdir(), input: JSON.stringify(cases), timeoutMs: 120_000 });
  return JSON.parse(res.stdout) as OracleResult[];
}
