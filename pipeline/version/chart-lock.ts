/**
 * Helm's `Chart.lock` digest (helm/helm internal/resolver `HashReq`): SHA-256 of Go's JSON encoding of
 * `[Chart.yaml dependencies, locked dependencies]`. Recomputed when csp pins another version for a target,
 * so `helm dependency build` does not call the lock out of sync.
 */
import { parse as parseYaml } from 'yaml';
import { helmLockDigest, type Dependency } from './helm-lock-digest.js';

export { helmLockDigest };

/** The digest for a Chart.yaml and Chart.lock text pair, or undefined when either has no dependency list. */
export function lockDigestOf(chartYaml: string, chartLock: string): string | undefined {
  try {
    const chart = parseYaml(chartYaml) as { dependencies?: Dependency[] } | null;
    const lock = parseYaml(chartLock) as { dependencies?: Dependency[] } | null;
    if (!Array.isArray(chart?.dependencies) || !Array.isArray(lock?.dependencies)) return undefined;
    return helmLockDigest(chart.dependencies, lock.dependencies);
  } catch {
    return undefined;
  }
}
