/**
 * The CLI's one vocabulary: options several commands share, with one spelling, one short form, one default and
 * one meaning. Commands spread these specs instead of declaring their own (a test checks every command).
 */
import path from 'node:path';
import { stringOpt, type OptionSpec, type ParsedArgs } from './command.js';

/** Where csp keeps charts fetched by csp deps, relative to the working directory. */
export const DEFAULT_CHART_CACHE = '.csp-cache/charts';
/** Where csp keeps release records. */
export const DEFAULT_LEDGER = 'releases';
/** Where csp build writes bundles and the OCI layout. */
export const DEFAULT_OUT = 'out';

/** Shared option specs, by option name. */
export const SHARED_OPTIONS = {
  'chart-cache': { type: 'string', arg: 'DIR', description: `Chart cache filled by csp deps (default ${DEFAULT_CHART_CACHE}).` },
  'schema-cache': { type: 'string', arg: 'DIR', description: 'Schema cache filled by csp schemas (default .csp/schemas, used when present).' },
  ledger: { type: 'string', arg: 'DIR', description: `Release records folder (default ${DEFAULT_LEDGER}).` },
  out: { type: 'string', short: 'o', arg: 'DIR', description: `Output folder (default ${DEFAULT_OUT}).` },
  values: { type: 'string', short: 'f', multiple: true, arg: 'FILE', description: 'Helm values file, highest priority; repeatable, later files win.' },
  k8s: { type: 'string', arg: 'VERSION', description: 'Only this Kubernetes target: a minor (1.32) or exactly one version (1.32.5).' },
} as const satisfies Record<string, OptionSpec>;

/** Old spellings still accepted, each with the shared name it means (kept so scripts keep working). */
export const OPTION_ALIASES: Record<string, keyof typeof SHARED_OPTIONS> = {
  cache: 'chart-cache',
  schemas: 'schema-cache',
};

/** The specs of `names`, for spreading into a command's options. */
export function sharedOptions<K extends keyof typeof SHARED_OPTIONS>(...names: K[]): Pick<typeof SHARED_OPTIONS, K> {
  return Object.fromEntries(names.map((n) => [n, SHARED_OPTIONS[n]])) as Pick<typeof SHARED_OPTIONS, K>;
}

/** A hidden alias spec (same type as the option it stands for). */
export function aliasOption(alias: keyof typeof OPTION_ALIASES): OptionSpec {
  const target = OPTION_ALIASES[alias]!;
  return { ...SHARED_OPTIONS[target], description: `Same as --${target} (old spelling).` };
}

/** `--chart-cache` (or its alias), resolved against the working directory. */
export function chartCacheDir(cwd: string, args: ParsedArgs): string {
  return path.resolve(cwd, stringOpt(args, 'chart-cache') ?? stringOpt(args, 'cache') ?? DEFAULT_CHART_CACHE);
}

/** `--schema-cache` (or its alias `--schemas`), unresolved: callers apply the schema cache default rules. */
export function schemaCacheOpt(args: ParsedArgs): string | undefined {
  return stringOpt(args, 'schema-cache') ?? stringOpt(args, 'schemas');
}

/** `--ledger`, resolved. */
export function ledgerDir(cwd: string, args: ParsedArgs): string {
  return path.resolve(cwd, stringOpt(args, 'ledger') ?? DEFAULT_LEDGER);
}
