/**
 * Helm's `Chart.lock` digest (helm/helm internal/resolver `HashReq`): SHA-256 of Go's JSON encoding of
 * `[Chart.yaml dependencies, locked dependencies]`. Kept apart from chart-lock.ts (which parses YAML) so the
 * stage's index loads no YAML parser.
 */
import { createHash } from 'node:crypto';

/** A dependency entry of Chart.yaml or Chart.lock, as parsed. */
export interface Dependency {
  name?: unknown;
  version?: unknown;
  repository?: unknown;
  condition?: unknown;
  tags?: unknown;
  enabled?: unknown;
  'import-values'?: unknown;
  alias?: unknown;
}

/** helm's chart.Dependency with its JSON tags and `omitempty` rules, in field order. */
function goDependency(d: Dependency): Record<string, unknown> {
  const out: Record<string, unknown> = { name: String(d.name ?? '') };
  if (d.version !== undefined && d.version !== '') out.version = String(d.version);
  out.repository = String(d.repository ?? '');
  if (d.condition) out.condition = String(d.condition);
  if (Array.isArray(d.tags) && d.tags.length > 0) out.tags = d.tags.map(String);
  if (d.enabled === true) out.enabled = true;
  if (Array.isArray(d['import-values']) && d['import-values'].length > 0) out['import-values'] = d['import-values'];
  if (d.alias) out.alias = String(d.alias);
  return out;
}

/** Go's encoding/json escapes <, >, & and the JS line separators inside strings. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `sha256:<hex>` as Helm writes it into Chart.lock. */
export function helmLockDigest(requirements: readonly Dependency[], locked: readonly Dependency[]): string {
  return `sha256:${createHash('sha256').update(goJson([requirements.map(goDependency), locked.map(goDependency)])).digest('hex')}`;
}

