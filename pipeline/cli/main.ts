/** Entry point: parses the command line, builds deps once, runs one command, maps errors to exit codes. */
import { parseArgs } from 'node:util';
import { UserInputError } from '../core/errors.js';
import { createHttp } from '../core/http.js';
import { configureLimits } from '../core/limits.js';
import { createLog } from '../core/log.js';
import { run } from '../core/run.js';
import { COMMON_OPTIONS, type CliContext, type CommandSpec, type ParsedArgs } from './command.js';
import { commandLoaders } from './command-loaders.js';
import { answerWithoutCommand } from './help-answer.js';
import { reportError } from './report.js';

export interface MainIo {
  cwd: string;
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
  now?: () => Date;
}

/** Runs `csp` with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: MainIo): Promise<number> {
  const [name, ...rest] = argv;
  // Only the command that runs is loaded; help (and a name that is no command) loads them all.
  const known = name !== undefined && Object.hasOwn(commandLoaders, name);
  if (!known) {
    const answered = answerWithoutCommand((await import('./help.js')).liveHelp, argv);
    if (answered) {
      io.out(answered.text);
      return answered.code;
    }
  }
  const command = known ? await commandLoaders[name]!() : undefined;
  const log = createLog({ write: io.err, verbose: rest.includes('--verbose') || rest.includes('-v'), quiet: rest.includes('--quiet') || rest.includes('-q') });
  const ctx: CliContext = {
    argv,
    cwd: io.cwd,
    env: io.env,
    // Every line a command prints passes the redactor, so no command can leak a registered secret.
    out: (text) => io.out(log.redact(text)),
    err: (text) => io.err(log.redact(text)),
    json: rest.includes('--json'),
    log,
    run,
    http: createHttp(),
    now: io.now ?? (() => new Date()),
  };
  for (const key of ['GITHUB_TOKEN', 'GH_TOKEN', 'OCI_PASSWORD', 'OCI_ACCESS_TOKEN', 'CSP_REGISTRY_PASSWORD']) log.addSecret(io.env[key]);
  try {
    if (!command) {
      throw new UserInputError('CLI_UNKNOWN_COMMAND', `unknown command "${name}"`, { details: `Commands: ${Object.keys(commandLoaders).join(', ')}. Run csp --help.` });
    }
    configureLimits(io.env);
    const args = parse(command, rest);
    if (args.values.help) {
      io.out((await import('./help.js')).commandHelp(command));
      return 0;
    }
    return await command.run(ctx, args);
  } catch (error) {
    return reportError(ctx, error, ctx.log === log && (rest.includes('--verbose') || rest.includes('-v')));
  }
}

function parse(command: CommandSpec, argv: string[]): ParsedArgs {
  const options = { ...COMMON_OPTIONS, ...command.options };
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.entries(options).map(([k, o]) => [
          k,
          { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    // Node's parseArgs text names the option but also tells JavaScript callers about `strict`; keep the first sentence.
    const first = (error as Error).message.split(/\.\s|\n/)[0]?.replace(/^Unknown option '(.+)'$/, 'unknown option $1') ?? 'bad arguments';
    throw new UserInputError('CLI_BAD_ARGUMENTS', `csp ${command.name}: ${first}`, { details: `Usage: ${command.usage}\nRun csp ${command.name} --help.` });
  }
}
