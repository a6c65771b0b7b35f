/**
 * Running Packer through core/run: `packer build -machine-readable` with a timeout, an abort signal (SIGTERM:
 * Packer cancels cleanly, and it is never ignored as SIGINT is in background jobs), progress lines prefixed by
 * build, and the parsed report whatever the exit code.
 */
import type { Log } from '../core/log.js';
import type { Run } from '../core/run.js';
import { ToolError } from '../core/errors.js';
import { createPackerParser, type PackerReport } from './machine-readable.js';

/** A Packer version as numbers, from `packer version` output ("Packer v1.6.6"). */
export function parsePackerVersion(text: string): [number, number, number] | undefined {
  const m = /v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** True when this Packer understands `packer init` and `required_plugins` (1.7 and later). */
export function supportsPlugins(version: string): boolean {
  const v = parsePackerVersion(version);
  return !!v && (v[0] > 1 || (v[0] === 1 && v[1] >= 7));
}

export interface PackerRunInput {
  /** Arguments after `packer` (the driver adds `-machine-readable` for build). */
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Prefix for progress lines, e.g. the image name. */
  label: string;
}

/** What one Packer run did. */
export interface PackerRunResult {
  exitCode: number;
  report: PackerReport;
  /** Last stderr bytes (Packer's own log), redacted. */
  stderrTail: string;
}

/** Runs `packer <args> -machine-readable`; never throws on a failing build (exit 1 still has artifacts). */
export async function runPacker(input: PackerRunInput, deps: { run: Run; log: Log }): Promise<PackerRunResult> {
  const parser = createPackerParser((line) => {
    if (line.type === 'ui') {
      const [level, ...text] = line.data;
      const message = `[${input.label}] ${text.join(',').trimEnd()}`;
      if (level === 'error') deps.log.warn(message);
      else deps.log.info(message);
    }
  });
  const [sub = 'build', ...rest] = input.args;
  let result;
  try {
    result = await deps.run('packer', [sub, '-machine-readable', ...rest], {
      cwd: input.cwd,
      env: { PACKER_NO_COLOR: '1', CHECKPOINT_DISABLE: '1', ...input.env },
      timeoutMs: input.timeoutMs,
      allowFailure: true,
      onStdoutLine: (l) => parser.push(l),
      ...(input.signal ? { signal: input.signal, killSignal: 'SIGTERM' as const } : {}),
    });
  } catch (error) {
    throw new ToolError('PACKER_FAILED', `packer ${sub} could not run`, { tool: 'packer', args: input.args, cause: error, details: 'Install Packer (apt-get install -y packer, or Packer >= 1.9 from HashiCorp) and retry.' });
  }
  // A runner that does not stream (recording fakes) still gives the whole stdout.
  const report = parser.report();
  if (report.artifacts.length === 0 && report.errors.length === 0 && result.stdout) {
    const again = createPackerParser();
    for (const l of result.stdout.split('\n')) again.push(l);
    return { exitCode: result.exitCode, report: again.report(), stderrTail: deps.log.redact(result.stderr.slice(-2000)) };
  }
  return { exitCode: result.exitCode, report, stderrTail: deps.log.redact(result.stderr.slice(-2000)) };
}
