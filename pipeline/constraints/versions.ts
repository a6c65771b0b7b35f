/** Version arithmetic the rules share: loose comparisons of kernel/CRI versions and Helm-like kubeVersion ranges. */
import semver from 'semver';

/** `version >= minimum` with coercion (5.4 → 5.4.0, v1.7.27-rc → 1.7.27); undefined when either does not parse. */
export function atLeast(version: string, minimum: string): boolean | undefined {
  const v = semver.coerce(version);
  const m = semver.coerce(minimum);
  return v && m ? semver.gte(v, m) : undefined;
}

/**
 * A Helm (Masterminds) constraint as a node-semver range: commas AND, `||` OR, `v` prefixes allowed.
 * Undefined when it does not parse.
 */
export function helmRange(constraint: string): string | undefined {
  const range = constraint
    .split('||')
    .map((group) => group.split(',').map((part) => part.trim().replace(/(^|[\s=<>~^])v(?=\d)/g, '$1')).filter(Boolean).join(' '))
    .join(' || ');
  return semver.validRange(range, { loose: true, includePrerelease: true }) === null ? undefined : range;
}

/**
 * Does a Helm kubeVersion constraint admit this Kubernetes version? Like Masterminds semver (Helm), a prerelease
 * version only passes comparators that carry a prerelease themselves, which is why charts write `>= 1.21.0-0`.
 * Undefined when the constraint or the version does not parse.
 */
export function admitsKubernetes(constraint: string, kubernetes: string): boolean | undefined {
  const range = helmRange(constraint);
  const version = semver.coerce(kubernetes, { includePrerelease: true });
  if (range === undefined || !version) return undefined;
  const parsed = new semver.Range(range, { loose: true, includePrerelease: true });
  if (version.prerelease.length === 0) return parsed.test(version);
  return parsed.set.some((group) => group.every((c) => c.value === '' || (c.semver.prerelease.length > 0 && c.test(version))));
}

/** Major and minor of a version (1.31 → [1, 31]); undefined when it does not parse. */
export function majorMinor(version: string): [number, number] | undefined {
  const v = semver.coerce(version);
  return v ? [v.major, v.minor] : undefined;
}
