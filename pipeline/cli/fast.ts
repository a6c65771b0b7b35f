/**
 * What bin/csp.js answers in the main thread, before (and instead of) starting the worker: help, the version
 * and a plan-cache hit. None of these render, so none needs the worker's deep stack or heap ceiling; each loads
 * only small modules of its own (no package, no command).
 */
import type { PlanAnswer } from './plan-cache.js';

/**
 * Commands that never render a chart, so they need neither the worker's 64 MB stack (Helm's 1000 nested
 * `include`s) nor its heap ceiling message: their inputs are bounded by the HTTP and archive caps. They run in
 * the main thread, which saves starting a second V8 isolate (~45 ms and ~8 MB).
 */
export const MAIN_THREAD_COMMANDS: ReadonlySet<string> = new Set(['publish', 'verify', 'pull', 'keys']);

/** Whether bin/csp.js runs `argv` in the main thread instead of the worker. */
export function runsInMainThread(argv: readonly string[]): boolean {
  return MAIN_THREAD_COMMANDS.has(argv[0] ?? '');
}

/** The answer to `argv` without running a command in the worker, or undefined when the worker must run it. */
export async function fastAnswer(argv: readonly string[], cwd: string, env: Record<string, string | undefined>): Promise<PlanAnswer | undefined> {
  const [name] = argv;
  if (name === 'plan' && !argv.includes('--help') && !argv.includes('-h')) {
    const { lookupPlan } = await import('./plan-cache.js');
    return lookupPlan(argv, cwd, env);
  }
  const { answerCommandHelp, answerWithoutCommand } = await import('./help-answer.js');
  // Whether argv asks for a text at all does not depend on the texts: asked with placeholders, a command line
  // that gets no answer goes on without reading them.
  const anyText = { top: () => '', command: () => '' };
  if (!(answerWithoutCommand(anyText, argv) ?? answerCommandHelp(anyText, argv, env))) return undefined;
  const { readHelpFile } = await import('./help-file.js');
  // The texts written at build time; the command specs themselves when there are none for this build.
  const source = readHelpFile() ?? (await import('./help.js')).liveHelp;
  const answered = answerWithoutCommand(source, argv) ?? answerCommandHelp(source, argv, env);
  return answered && { writes: [[1, answered.text]], code: answered.code };
}
