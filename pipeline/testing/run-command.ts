/** Runs one CLI command in-process without loading the whole command table (test helper). */
import { parseArgs } from 'node:util';
import { createHttp } from '../core/http.js';
import { createLog } from '../core/log.js';
import { run } from '../core/run.js';
import { COMMON_OPTIONS, type CliContext, type CommandSpec, type ParsedArgs } from '../cli/command.js';
import { reportError } from '../cli/report.js';

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `csp <spec.name> ...argv` in `cwd`, parsed like main.ts does. */
export async function runCommand(spec: CommandSpec, argv: string[], cwd: string, env: Record<string, string | undefined> = {}, now: () => Date = () => new Date()): Promise<CommandRun> {
  const out: string[] = [];
  const err: string[] = [];
  const log = createLog({ write: (t) => err.push(t) });
  const ctx: CliContext = { cwd, env, out: (t) => out.push(t), err: (t) => err.push(t), json: argv.includes('--json'), log, run, http: createHttp(), now };
  let code: number;
  try {
    const options = { ...COMMON_OPTIONS, ...spec.options };
    const { values, positionals } = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(options).map(([k, o]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }])),
      allowPositionals: true,
      strict: true,
    });
    code = await spec.run(ctx, { values: values as ParsedArgs['values'], positionals });
  } catch (error) {
    code = reportError(ctx, error, true);
  }
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
