/** The shape of a CLI command and the context every command gets (built once in main.ts). */
import type { Http } from '../core/http.js';
import type { Log } from '../core/log.js';
import type { Run } from '../core/run.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in --help, e.g. DIR. */
  arg?: string;
  description: string;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** What a command prints and reads; only cli/ touches process.* and stdout. */
export interface CliContext {
  /** The command line as given, without node and script (the plan cache's key). */
  argv?: readonly string[];
  cwd: string;
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
  json: boolean;
  log: Log;
  run: Run;
  http: Http;
  now: () => Date;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  /** Longer text for --help. */
  description?: string;
  options: Record<string, OptionSpec>;
  /** Returns the exit code. Throwing a PipelineError maps to its exit code. */
  run(ctx: CliContext, args: ParsedArgs): Promise<number>;
}

/** Options every command accepts. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'Show help for this command.' },
  json: { type: 'boolean', description: 'Print a machine-readable JSON result on stdout.' },
  verbose: { type: 'boolean', short: 'v', description: 'Print debug output on stderr.' },
  quiet: { type: 'boolean', short: 'q', description: 'Print only problems and results.' },
};

/** Reads a string option (last one wins when repeated). */
export function stringOpt(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** Reads a repeatable string option as a list. */
export function listOpt(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' ? [v] : [];
}

export function boolOpt(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}
