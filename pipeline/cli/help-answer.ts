/**
 * Which help (or version) text answers a command line, from any source of texts: the live command specs
 * (main.ts) or the texts written at build time (fast.ts, without loading the commands). No imports.
 */

/** Help texts by what they describe. */
export interface HelpSource {
  top(): string;
  /** Undefined for a name that is not a command. */
  command(name: string): string | undefined;
}

export const VERSION_TEXT = 'csp 0.1.0';

/** What `csp` prints for `argv` without running a command (help or version), or undefined when a command runs. */
export function answerWithoutCommand(source: HelpSource, argv: readonly string[]): { text: string; code: number } | undefined {
  const [name, ...rest] = argv;
  const helped = name === 'help' && rest[0] ? source.command(rest[0]) : undefined;
  if (helped !== undefined) return { text: helped, code: 0 };
  if (!name || name === '--help' || name === '-h' || name === 'help') return { text: source.top(), code: name || argv.length ? 0 : 1 };
  if (name === '--version') return { text: VERSION_TEXT, code: 0 };
  return undefined;
}

/**
 * `csp CMD --help` (or `-h`) as the only argument, answered before the worker starts. Anything else (more
 * options, CSP_LIMIT_* variables to check first) goes through main, which parses strictly.
 */
export function answerCommandHelp(source: HelpSource, argv: readonly string[], env: Record<string, string | undefined>): { text: string; code: number } | undefined {
  const [name, flag, ...more] = argv;
  if (name === undefined || (flag !== '--help' && flag !== '-h') || more.length) return undefined;
  if (Object.keys(env).some((k) => k.startsWith('CSP_LIMIT_'))) return undefined;
  const text = source.command(name);
  return text === undefined ? undefined : { text, code: 0 };
}
