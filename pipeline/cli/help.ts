/** The help texts of `csp --help` and `csp CMD --help`, made from the command specs. */
import { COMMON_OPTIONS, type CommandSpec } from './command.js';
import { commands } from './commands.js';
import type { HelpSource } from './help-answer.js';

/** The help texts of the command specs themselves. */
export const liveHelp: HelpSource = {
  top: () => topHelp(),
  command: (name) => (Object.hasOwn(commands, name) ? commandHelp(commands[name] as CommandSpec) : undefined),
};

/** Every help text, as written at build time for bin/csp.js to answer --help without loading the commands. */
export function helpTexts(): { top: string; commands: Record<string, string> } {
  return { top: topHelp(), commands: Object.fromEntries(Object.entries(commands).map(([name, c]) => [name, commandHelp(c)])) };
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
