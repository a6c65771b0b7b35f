/**
 * The pure decision for one component: which upstream version the policy takes, and for every newer
 * version it does not take, why (pre-release, removed, ignored, outside range, kubeVersion, too new,
 * no node image). Upstream order is never trusted: candidates are sorted by SemVer here.
 */
import semver from 'semver';
import { admitsKubernetes } from '../constraints/index.js';
import type { Candidate, Rejection } from './types.js';

export interface DecideInput {
  name: string;
  current: string;
  candidates: readonly Candidate[];
  /** SemVer range the version must stay in (e.g. "~1.17", ">=2.32.0 <2.33.0"). */
  range?: string;
  /** Kubernetes version the chart must admit (its kubeVersion). */
  kubernetes?: string;
  minimumReleaseAgeMs: number;
  now: Date;
  ignored: (version: string) => boolean;
  /** Versions without a usable node image yet (Kubernetes only). */
  imageMissing?: (version: string) => boolean;
}

export interface Decision {
  allowed: string;
  newest?: string;
  rejected: Rejection[];
  /** The chosen candidate (undefined when staying on current). */
  chosen?: Candidate;
}

/** Most rejections listed per component. */
export const MAX_REJECTIONS = 10;

/** Chooses the newest acceptable version above `current`; stays on `current` when none is. */
export function decide(input: DecideInput): Decision {
  const current = semver.valid(input.current);
  const valid = input.candidates.filter((c) => semver.valid(c.version) !== null);
  const invalid = input.candidates.filter((c) => semver.valid(c.version) === null);
  const sorted = [...valid].sort((a, b) => semver.rcompare(a.version, b.version));
  const newest = sorted.find((c) => !c.removed)?.version;
  const rejected: Rejection[] = [];
  let chosen: Candidate | undefined;
  for (const c of sorted) {
    if (current && !semver.gt(c.version, current)) break;
    const reason = rejectionOf(c, input);
    if (!reason) {
      chosen = c;
      break;
    }
    rejected.push({ version: c.version, ...reason });
  }
  // One outside-range entry (the newest) explains why the newest overall was not taken; more is noise.
  const firstOutside = rejected.findIndex((r) => r.reason === 'outside-range');
  for (let i = rejected.length - 1; i > firstOutside; i--) if (rejected[i]!.reason === 'outside-range') rejected.splice(i, 1);
  for (const c of invalid.slice(0, 3)) rejected.push({ version: c.tag ?? c.version, reason: 'not-semver', detail: `"${c.tag ?? c.version}" is not a SemVer version; ignored` });
  return { allowed: chosen?.version ?? input.current, newest, rejected: rejected.slice(0, MAX_REJECTIONS), chosen };
}

function rejectionOf(c: Candidate, input: DecideInput): Omit<Rejection, 'version'> | undefined {
  if (c.removed) return { reason: 'removed', detail: 'marked removed (or a draft) upstream' };
  if (c.prerelease || semver.prerelease(c.version)) return { reason: 'pre-release', detail: 'pre-releases are never chosen' };
  if (input.ignored(c.version)) return { reason: 'ignored', detail: 'on the ignore list in stack.yaml upstream.ignore' };
  if (input.range && !semver.satisfies(c.version, input.range)) return { reason: 'outside-range', detail: `outside the allowed range ${input.range}` };
  if (input.kubernetes && c.kubeVersion && admitsKubernetes(c.kubeVersion, input.kubernetes) !== true) {
    return { reason: 'kube-version-mismatch', detail: `its kubeVersion "${c.kubeVersion}" does not admit Kubernetes ${input.kubernetes}` };
  }
  // Like Renovate: a source without release dates (git tags) skips the age check.
  const published = c.published ? Date.parse(c.published) : NaN;
  if (input.minimumReleaseAgeMs > 0 && Number.isFinite(published)) {
    const age = input.now.getTime() - published;
    if (age < input.minimumReleaseAgeMs) {
      return { reason: 'too-new', detail: `published ${c.published}, younger than the minimum release age (${Math.round(input.minimumReleaseAgeMs / 3_600_000)} h)` };
    }
  }
  if (input.imageMissing?.(c.version)) return { reason: 'no-node-image', detail: `no node image for ${c.version} is published yet` };
  return undefined;
}

/** The range a chart tied to the Kubernetes minor must stay in: 2.<minor>.x for OpenStack CCM/CSI. */
export function minorRange(current: string, kubernetesMinor: number): string | undefined {
  const v = semver.parse(current);
  if (!v) return undefined;
  return `>=${v.major}.${kubernetesMinor}.0 <${v.major}.${kubernetesMinor + 1}.0`;
}

/** The default range of an independent chart: patches within its current minor. */
export function patchRange(current: string): string | undefined {
  const v = semver.parse(current);
  return v ? `~${v.major}.${v.minor}.${v.patch}` : undefined;
}
