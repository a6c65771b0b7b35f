/**
 * Every bound csp puts on input it does not control (stack files, charts, values, server answers):
 * sizes, depths, counts, budgets and timeouts, in one table so docs/limits.md can list them. Each has
 * an environment override (`CSP_LIMIT_<NAME>`), read once by cli/main before a command runs.
 */
import { UserInputError } from './errors.js';

export interface Limits {
  /** Largest YAML alias expansion per anchor (the yaml package's maxAliasCount; billion-laughs guard). */
  yamlAliases: number;
  /** Largest file a stack folder may hold (a vendored binary beside manifests). */
  stackFileBytes: number;
  /** Largest file in a chart that csp renders (Helm's loader refuses more than 5 MiB). */
  chartFileBytes: number;
  /** Largest chart that csp renders, all files together (Helm's loader refuses more than 100 MiB). */
  chartBytes: number;
  /** Deepest folder nesting a stack walk follows. */
  walkDepth: number;
  /** Template actions, text and range iterations one chart render may execute. */
  templateSteps: number;
  /** Characters one chart render may write (all templates, include results counted where printed). */
  templateOutput: number;
  /** Elements a template function may create in one list (until, untilStep, seq). */
  templateItems: number;
  /** Characters a template function may create in one string (repeat, rand*, indent, …). */
  templateString: number;
  /** Nested `include` of one template name (Helm's recursionMaxNums). */
  includeDepth: number;
  /** Largest OCI manifest or index read from a registry (distribution's own limit is 4 MiB). */
  httpManifestBytes: number;
  /** Largest JSON/YAML API answer: tag lists, GitHub API pages, token answers, chart repository indexes. */
  httpDocumentBytes: number;
  /** Largest chart archive downloaded from a chart repository or registry. */
  httpArchiveBytes: number;
  /** Milliseconds without a byte from the server before a request is abandoned. */
  httpIdleMs: number;
  /** Milliseconds one request (all of its body) may take, whatever the pace. */
  httpDeadlineMs: number;
  /** Pages csp follows in one paginated listing (registry tags, GitHub releases). */
  httpPages: number;
  /** Heap ceiling in MiB of the CLI's worker thread (applied by bin/csp.js). */
  heapMb: number;
}

/** The defaults, documented in docs/limits.md. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  yamlAliases: 10_000,
  stackFileBytes: 10 * 1024 * 1024,
  chartFileBytes: 5 * 1024 * 1024,
  chartBytes: 100 * 1024 * 1024,
  walkDepth: 64,
  templateSteps: 10_000_000,
  templateOutput: 64 * 1024 * 1024,
  templateItems: 1_000_000,
  templateString: 32 * 1024 * 1024,
  includeDepth: 1000,
  httpManifestBytes: 4 * 1024 * 1024,
  httpDocumentBytes: 64 * 1024 * 1024,
  httpArchiveBytes: 256 * 1024 * 1024,
  httpIdleMs: 30_000,
  httpDeadlineMs: 60_000,
  httpPages: 1000,
  heapMb: 4096,
});

// Process-wide, like the stack size: set once by cli/main from the environment before any stage runs.
const current: Limits = { ...DEFAULT_LIMITS };

/** The limits in force. */
export function limits(): Readonly<Limits> {
  return current;
}

/** The environment variable that overrides `name` (yamlAliases → CSP_LIMIT_YAML_ALIASES). */
export function limitEnvName(name: keyof Limits): string {
  return `CSP_LIMIT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/**
 * Applies `CSP_LIMIT_*` overrides from `env` (positive integers) on top of the defaults; an unknown
 * name or a bad number is a user error. Returns the limits in force.
 */
export function configureLimits(env: Record<string, string | undefined>, overrides: Partial<Limits> = {}): Readonly<Limits> {
  const next: Limits = { ...DEFAULT_LIMITS, ...overrides };
  const known = new Map((Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]).map((k) => [limitEnvName(k), k]));
  for (const [key, raw] of Object.entries(env)) {
    if (!key.startsWith('CSP_LIMIT_') || raw === undefined) continue;
    const name = known.get(key);
    if (!name) {
      throw new UserInputError('LIMIT_UNKNOWN', `${key} is not a csp limit`, { details: `Known limits: ${[...known.keys()].join(', ')} (docs/limits.md).` });
    }
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new UserInputError('LIMIT_INVALID', `${key}=${raw} is not a positive whole number`, { details: 'Give the limit as a plain number (bytes, milliseconds or a count; docs/limits.md).' });
    }
    next[name] = value;
  }
  Object.assign(current, next);
  return current;
}
