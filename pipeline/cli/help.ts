/** The answers that run no command: `csp --help`, `csp help CMD`, `csp --version`, `csp CMD --help`. */
import { COMMON_OPTIONS, type CommandSpec } from './command.js';
import { commands } from './commands.js';

/** What `csp` prints for `argv` without running a command (help or version), or undefined when a command runs. */
export function answerWithoutCommand(argv: readonly string[]): { text: string; code: number } | undefined {
  const [name, ...rest] = argv;
  const helped = name === 'help' && rest[0] ? commands[rest[0]] : undefined;
  if (helped) return { text: commandHelp(helped), code: 0 };
  if (!name || name === '--help' || name === '-h' || name === 'help') return { text: topHelp(), code: name || argv.length ? 0 : 1 };
  if (name === '--version') return { text: 'csp 0.1.0', code: 0 };
  return undefined;
}

/**
 * `csp CMD --help` (or `-h`) as the only argument, answered before the worker starts. Anything else (more
 * options, CSP_LIMIT_* variables to check first) goes through main, which parses strictly.
 */
export function answerCommandHelp(argv: readonly string[], env: Record<string, string | undefined>): { text: string; code: number } | undefined {
  const [name, flag, ...more] = argv;
  const command = name !== undefined && Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command || (flag !== '--help' && flag !== '-h') || more.length) return undefined;
  if (Object.keys(env).some((k) => k.startsWith('CSP_LIMIT_'))) return undefined;
  return { text: commandHelp(command), code: 0 };
}

/** `csp --help`: every command with its one-line summary. */
export function topHelp(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.values(commands).map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'csp: the cluster stack pipeline',
    '',
    'Turns cluster stacks (stacks/<provider>/<name>/) into tested, versioned release bundles that the',
    'Cluster Stack Operator consumes unchanged.',
    '',
    'Usage: csp <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command takes --help, --json (result as JSON on stdout), --verbose and --quiet.',
    'Exit codes: 0 ok, 1 problem in your input, 2 tool or upstream failure, 3 internal error (a bug).',
  ].join('\n');
}

/** `csp <command> --help`. */
export function commandHelp(command: CommandSpec): string {
  const options = { ...command.options, ...COMMON_OPTIONS };
  const left = (name: string, o: (typeof options)[string]) =>
    `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}${o.multiple ? ' (repeatable)' : ''}`;
  const width = Math.max(...Object.entries(options).map(([n, o]) => left(n, o).length));
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    ...(command.description ? ['', command.description] : []),
    '',
    'Options:',
    ...Object.entries(options).map(([n, o]) => `  ${left(n, o).padEnd(width)}  ${o.description}`),
  ].join('\n');
}
