/**
 * Cluster-stack version forms as the Cluster Stack Operator parses them (release-format.md §2, §3;
 * SovereignCloudStack/cluster-stack-operator pkg/version/version.go): dash and dot spellings, ordering, checks.
 */
import type { Issue } from '../core/errors.js';

/** `dash` (`v1-sha-abc`: tags, CSR names) or `dot` (`v1-sha.abc`: metadata, chart versions, ClusterClass). */
export type VersionForm = 'dash' | 'dot';

/** A parsed version; `channel` is `stable` (with an empty patch) for plain `vN`. */
export interface CsVersion {
  major: number;
  channel: string;
  patch: string;
}

/** CSO `ParseVersionString` regex (dash form); `\w`/`\b` are ASCII in both Go RE2 and non-unicode JS. */
export const dashVersionPattern = /^v\d+(-\b\w+\b-\w+)?$/;
/** CSO `version.New` regex (dot form). */
export const dotVersionPattern = /^v\d+(-\b\w+\b\.\w+)?$/;

const patterns: Record<VersionForm, RegExp> = { dash: dashVersionPattern, dot: dotVersionPattern };

/** Parses like CSO does (including the `stable` quirk); undefined when CSO would reject the string. */
export function parseVersion(text: string, form: VersionForm): CsVersion | undefined {
  if (!patterns[form].test(text)) return undefined;
  const [head = '', ...rest] = text.split('-');
  const major = Number(head.slice(1));
  if (!Number.isSafeInteger(major)) return undefined; // Go's Atoi overflows near 2^63; stay exact in JS
  let channel = 'stable';
  let patch = '';
  if (form === 'dash' && rest.length === 2) [channel = '', patch = ''] = rest;
  if (form === 'dot' && rest.length === 1) {
    const pieces = (rest[0] ?? '').split('.');
    if (pieces.length !== 2) return undefined;
    [channel = '', patch = ''] = pieces;
  }
  if (channel === 'stable') patch = ''; // CSO ignores the patch of channel "stable": v1-stable.3 is v1
  return { major, channel, patch };
}

/** Prints a version in one form; a stable version is always `vN`. */
export function formatVersion(version: CsVersion, form: VersionForm): string {
  if (version.channel === 'stable') return `v${version.major}`;
  return `v${version.major}-${version.channel}${form === 'dash' ? '-' : '.'}${version.patch}`;
}

/** Converts one version string between forms; undefined when it does not parse in the source form. */
export function convertVersion(text: string, from: VersionForm, to: VersionForm): string | undefined {
  const parsed = parseVersion(text, from);
  return parsed && formatVersion(parsed, to);
}

/**
 * CSO's whole-name dot → dash rule (`ConvertFromClusterClassToClusterStackFormat`): split on `.` and join
 * with `-` only when there are exactly two pieces; anything else is returned unchanged.
 */
export function dotNameToDash(name: string): string {
  const parts = name.split('.');
  return parts.length === 2 ? `${parts[0]}-${parts[1]}` : name;
}

/**
 * CSO `Compare`: undefined for different channels (not comparable), else major numerically, then
 * patch as a plain string (so `beta.10 < beta.9`).
 */
export function compareVersions(a: CsVersion, b: CsVersion): -1 | 0 | 1 | undefined {
  if (a.channel !== b.channel) return undefined;
  if (a.major !== b.major) return a.major > b.major ? 1 : -1;
  if (a.patch === b.patch) return 0;
  return Buffer.compare(Buffer.from(a.patch), Buffer.from(b.patch)) > 0 ? 1 : -1;
}

/** The latest version of one channel by CSO's ordering, or undefined when the channel has none. */
export function latestInChannel(versions: readonly CsVersion[], channel: string): CsVersion | undefined {
  let best: CsVersion | undefined;
  for (const v of versions) {
    if (v.channel !== channel) continue;
    if (!best || compareVersions(v, best) === 1) best = v;
  }
  return best;
}

// Channel and patch end up in Kubernetes object names, so csp only emits lowercase letters and digits.
const lowerAlnum = /^[a-z0-9]+$/;

/**
 * Checks a version string that csp is about to emit in `form`. Returns every problem as an Issue
 * (codes VERSION_*), including those CSO tolerates but that break names or round trips.
 */
export function validateVersion(text: string, form: VersionForm, label = 'version'): Issue[] {
  const issues: Issue[] = [];
  const other: VersionForm = form === 'dot' ? 'dash' : 'dot';
  const shape = form === 'dot' ? '`vN` or `vN-<channel>.<patch>`' : '`vN` or `vN-<channel>-<patch>`';
  const parsed = parseVersion(text, form);
  if (!parsed) {
    const wrongForm = parseVersion(text, other) !== undefined;
    issues.push({
      severity: 'error',
      code: wrongForm ? 'VERSION_WRONG_FORM' : 'VERSION_INVALID',
      message: `${label} ${JSON.stringify(text)} is not a ${form}-form cluster-stack version`,
      hint: wrongForm
        ? `Write it in ${form} form: ${JSON.stringify(convertVersion(text, other, form))}.`
        : `Use ${shape} with a non-negative integer major and ASCII word characters.`,
    });
    return issues;
  }
  if (formatVersion(parsed, form) !== text) {
    const stableQuirk = /^v\d+-stable[-.]/.test(text);
    issues.push({
      severity: 'error',
      code: stableQuirk ? 'VERSION_STABLE_WITH_PATCH' : 'VERSION_NOT_CANONICAL',
      message: `${label} ${JSON.stringify(text)} reads back as ${JSON.stringify(formatVersion(parsed, form))}`,
      hint: stableQuirk
        ? 'CSO treats channel "stable" with a patch as plain vN; use vN, or another channel word.'
        : 'Drop leading zeros from the major number so names match what CSO prints.',
    });
  }
  if (parsed.channel !== 'stable' && (!lowerAlnum.test(parsed.channel) || !lowerAlnum.test(parsed.patch))) {
    issues.push({
      severity: 'error',
      code: 'VERSION_NOT_LOWERCASE',
      message: `${label} ${JSON.stringify(text)} has characters outside [a-z0-9] in its channel or patch`,
      hint: 'The version becomes part of Kubernetes object names (ClusterStackRelease, ClusterClass); use lowercase letters and digits.',
    });
  }
  return issues;
}
