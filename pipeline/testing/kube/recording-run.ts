/**
 * A recording `run` for e2e tests: records every command line, plays `kind create` by writing the management
 * fake's kubeconfig where kind would, and fails the commands a test names (as core/run would: ToolError).
 */
import fs from 'node:fs/promises';
import { ToolError } from '../../core/errors.js';
import type { Run } from '../../core/run.js';

export interface RecordingRun {
  run: Run;
  /** `command arg arg …` per call, in order. */
  calls: string[];
  /** Signals handed to each call (to assert that a phase timeout or SIGTERM reaches the process). */
  signals: (AbortSignal | undefined)[];
}

/** `kubeconfig()` is what kind writes; `failing` lists `command subcommand` pairs that exit 1. */
export function recordingRun(options: { kubeconfig: () => string; failing?: string[]; hang?: string[] }): RecordingRun {
  const calls: string[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  const run: Run = async (command, args, opts) => {
    calls.push([command, ...args].join(' '));
    signals.push(opts.signal);
    const head = `${command} ${args[0] ?? ''}`;
    if (options.hang?.includes(head)) {
      await new Promise<void>((_, reject) => opts.signal?.addEventListener('abort', () => reject(new ToolError('TOOL_FAILED', `${command} was killed`, { tool: command, args })), { once: true }));
    }
    if (options.failing?.includes(head)) {
      throw new ToolError('TOOL_FAILED', `${command} exited with 1`, { tool: command, args, exitCode: 1, stderrTail: 'ERROR: failed' });
    }
    if (command === 'kind' && args[0] === 'create') {
      await fs.writeFile(args[args.indexOf('--kubeconfig') + 1]!, options.kubeconfig());
    }
    const stdout = command === 'clusterctl' && args[0] === 'describe' ? 'NAME  READY  SEVERITY  REASON\nCluster/demo  False  Warning  WaitingForControlPlane\n' : '';
    return { command, args, exitCode: 0, stdout, stderr: '' };
  };
  return { run, calls, signals };
}
