/**
 * Test harness for the Go reference renderer (main.go): builds it once per source hash into the temp
 * directory with Debian's Go 1.19 + Sprig 3.2.3, and runs batches of template cases through it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
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
  funcs?: 'none' | 'sprig' | 'hermetic' | 'slim';
  /** Templates parsed before the main one, each under its own name. */
  before?: { name: string; text: string }[];
  /** Templates parsed after the main one (later definitions override earlier ones). */
  after?: { name: string; text: string }[];
  /** Template to execute (default: name). */
  execute?: string;
  /** Helm-like chart mode (chart.go): render every template of one chart; `template` is ignored. */
  chart?: OracleChartInput;
}

/** One chart (no subcharts) for the oracle's Helm-like chart mode. */
export interface OracleChartInput {
  chartYaml: string;
  valuesYaml: string;
  /** Extra values files (YAML text), lowest priority first, over values.yaml. */
  userValues?: string[];
  /** Every file under templates/, named `<chart name>/templates/<file>` as Helm names them. */
  templates: { name: string; text: string }[];
  releaseName: string;
  namespace: string;
  /** `v1.32.5`; default v1.20.0 (Helm's library default). */
  kubeVersion?: string;
  /** `.Capabilities.APIVersions` (a named []string with `Has`, as chartutil.VersionSet); empty by default. */
  apiVersions?: string[];
  /** Render this many more times and report each duration in `timings` (benchmarks). */
  repeat?: number;
}

/** Chart mode answer: per template the rendered text (`<no value>` stripped) and its split documents. */
export interface OracleChartResult {
  outputs?: Record<string, string>;
  documents?: Record<string, string[]>;
  error?: string;
  /** Nanoseconds per repeated render, measured inside the Go process. */
  timings?: number[];
}

export interface OracleResult {
  output?: string;
  error?: string;
  chart?: OracleChartResult;
}

/** Builds `go build` output for a Go source directory, cached under the temp dir by source hash. */
export async function buildGoProgram(sourceDir: string, label: string): Promise<string> {
  const hash = createHash('sha256');
  // Every .go file of the package (main.go plus chart.go), so an edit to any of them rebuilds.
  for (const f of readdirSync(sourceDir).filter((n) => n.endsWith('.go')).sort()) hash.update(readFileSync(path.join(sourceDir, f)));
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
