/**
 * Harvests Go 1.19's own `execTests` table (text/template/exec_test.go) at test time: copies the
 * package sources, exec_test.go and our harvester into a temp GOPATH, runs `go test`, and returns
 * each case with its data in tagged JSON (never stored in the repository).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../core/run.js';
import { goBuildEnv, oracleSourceDir } from './oracle.js';

/** One row of Go's execTests with its data converted (or the reason it could not be). */
export interface HarvestedCase {
  name: string;
  input: string;
  output: string;
  ok: boolean;
  data: unknown;
  /** Fields and methods of the data's structs that could not be represented. */
  dropped: string[] | null;
  problem?: string;
}

const GO_SRC = '/usr/share/go-1.19/src';
const PACKAGE_FILES = ['exec.go', 'funcs.go', 'helper.go', 'option.go', 'template.go', 'doc.go', 'exec_test.go'];

/** Runs the harvester and returns Go's execTests rows. */
export async function harvestExecTests(): Promise<HarvestedCase[]> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'csp-harvest-'));
  try {
    const pkg = path.join(root, 'src', 'harvest', 'template');
    const fmtsort = path.join(root, 'src', 'harvest', 'fmtsort');
    mkdirSync(pkg, { recursive: true });
    mkdirSync(fmtsort, { recursive: true });
    for (const f of PACKAGE_FILES) copyFileSync(path.join(GO_SRC, 'text', 'template', f), path.join(pkg, f));
    copyFileSync(path.join(GO_SRC, 'internal', 'fmtsort', 'sort.go'), path.join(fmtsort, 'sort.go'));
    // internal/ packages cannot be imported from outside GOROOT: point exec.go at the copy.
    const execGo = path.join(pkg, 'exec.go');
    writeFileSync(execGo, readFileSync(execGo, 'utf8').replace('"internal/fmtsort"', '"harvest/fmtsort"'));
    copyFileSync(path.join(oracleSourceDir, '__fixtures__', 'harvest', 'harvest_test.go'), path.join(pkg, 'harvest_test.go'));
    const out = path.join(root, 'harvest.json');
    await run('go', ['test', '-count=1', '-run', '^TestHarvest$', '.'], {
      cwd: pkg,
      env: { ...goBuildEnv, GOPATH: `${root}:${goBuildEnv.GOPATH}`, HARVEST_OUT: out },
      timeoutMs: 300_000,
    });
    return JSON.parse(readFileSync(out, 'utf8')) as HarvestedCase[];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
