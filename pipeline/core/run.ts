/**
 * The single process seam: the only importer of execa. Argument arrays only, explicit cwd, an
 * environment built from an allow-list, a timeout, and redacted logging of the command line.
 */
import { ToolError } from './errors.js';

export interface RunOptions {
  cwd: string;
  /** Extra environment variables on top of the allow-listed ones. */
  env?: Record<string, string>;
  /** Milliseconds before the process is killed (default 10 minutes). */
  timeoutMs?: number;
  input?: string | Uint8Array;
  /** Do not throw on a non-zero exit; return the result instead. */
  allowFailure?: boolean;
  /** Called with each line of stdout as it arrives (for machine-readable tool output). */
  onStdoutLine?: (line: string) => void;
  /** Aborting stops the process with `killSignal` (default SIGTERM), then SIGKILL after 30 s. */
  signal?: AbortSignal;
  killSignal?: NodeJS.Signals;
}

export interface RunResult {
  command: string;
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Run = (command: string, args: string[], options: RunOptions) => Promise<RunResult>;

const ENV_ALLOW = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ', 'USER', 'GOCACHE', 'GOPATH', 'GO111MODULE'];

/** Environment handed to child processes: the allow-list from this process plus explicit additions. */
export function childEnv(extra: Record<string, string> = {}, from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ENV_ALLOW) {
    const value = from[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Real process runner. Throws ToolError on a non-zero exit unless `allowFailure`. */
export const run: Run = async (command, args, options) => {
  // Loaded on first use, so commands that start no process (and --help) do not pay for execa.
  const { execa } = await import('execa');
  const child = execa(command, args, {
    cwd: options.cwd,
    env: childEnv(options.env),
    extendEnv: false,
    timeout: options.timeoutMs ?? 600_000,
    input: options.input,
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
    ...(options.signal ? { cancelSignal: options.signal, killSignal: options.killSignal ?? 'SIGTERM', forceKillAfterDelay: 30_000 } : {}),
  });
  if (options.onStdoutLine && child.stdout) {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        options.onStdoutLine?.(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    });
  }
  const result = await child;
  const out: RunResult = {
    command,
    args,
    exitCode: result.exitCode ?? (result.timedOut ? 124 : 1),
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
  };
  if (result.failed && !options.allowFailure) {
    if ('code' in result && result.code === 'ENOENT') {
      throw new ToolError('TOOL_MISSING', `${command} is not installed`, { tool: command, args, details: `Install ${command} and retry.` });
    }
    throw new ToolError('TOOL_FAILED', `${command} exited with ${result.timedOut ? 'a timeout' : out.exitCode}`, {
      tool: command,
      args,
      exitCode: out.exitCode,
      stderrTail: out.stderr.slice(-2000),
    });
  }
  return out;
};

/** Checks that a tool exists before a command starts; names the Debian package that provides it. */
export async function requireTool(runner: Run, tool: string, versionArgs: string[], debianPackage: string): Promise<string> {
  try {
    const res = await runner(tool, versionArgs, { cwd: process.cwd(), timeoutMs: 30_000 });
    return (res.stdout || res.stderr).trim().split('\n')[0] ?? '';
  } catch (error) {
    throw new ToolError('TOOL_MISSING', `${tool} is needed but not available`, {
      tool,
      args: versionArgs,
      details: `Install it: apt-get install -y ${debianPackage}`,
      cause: error,
    });
  }
}
