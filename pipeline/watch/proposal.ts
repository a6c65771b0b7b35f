/**
 * A new Kubernetes minor is never added silently: when `stable-1.<newest+1>.txt` answers, the stack gets a
 * proposal line with the coupled chart versions (charts that follow the minor: highest 2.<minor>.x admitting
 * the release) that `csp upstream pr` opens as a draft PR for a person; `bump` never applies it.
 */
import semver from 'semver';
import { PipelineError } from '../core/errors.js';
import type { Stack } from '../stack/index.js';
import { decide, minorRange } from './decide.js';
import { isIgnored, type Policy } from './policy.js';
import { chartQuery, describeQuery, listVersions } from './sources.js';
import type { ComponentDecision, SourceContext, TargetReport } from './types.js';

/** The proposal line for the next minor, or none (not released yet, or `newMinors: ignore`). */
export async function proposeNewMinor(stack: Stack, policy: Policy, ctx: SourceContext, notes: string[]): Promise<TargetReport[]> {
  if (policy.newMinors !== 'propose' || stack.targets.length === 0) return [];
  const newest = [...stack.targets].sort((a, b) => a.major - b.major || a.minor - b.minor).at(-1)!;
  const minorNumber = newest.minor + 1;
  const minor = `${newest.major}.${minorNumber}`;
  let candidates;
  try {
    candidates = await listVersions({ kind: 'kubernetes', minor }, ctx);
  } catch (error) {
    // Before GA dl.k8s.io may answer anything; the patch lines are unaffected, so this is a note, not a failure.
    if (!(error instanceof PipelineError)) throw error;
    notes.push(`new minor ${minor}: could not be checked (${error.message})`);
    return [];
  }
  const release = candidates.filter((c) => !c.prerelease && semver.valid(c.version)).sort((a, b) => semver.rcompare(a.version, b.version))[0];
  if (!release) return [];
  const range = stack.config?.clusterState.kubernetes;
  const review = [
    'a new minor is never added silently: review the versions.yaml entry and its coupled chart versions',
    ...(range && !semver.satisfies(release.version, range) ? [`widen stack.yaml clusterState.kubernetes "${range}"`] : []),
  ].join('; ');
  const components: ComponentDecision[] = [{
    kind: 'kubernetes',
    name: 'kubernetes',
    source: `Kubernetes ${minor} (dl.k8s.io stable-${minor}.txt)`,
    current: '',
    allowed: release.version,
    newest: release.version,
    link: release.link,
    rejected: [{ version: release.version, reason: 'new-minor-needs-review', detail: review }],
  }];
  for (const [chart, current] of Object.entries(newest.charts)) {
    const dep = stack.addons.flatMap((a) => a.dependencies).find((d) => d.name === chart);
    if (!dep?.repository || !policy.charts[chart]?.followKubernetesMinor) continue;
    const query = chartQuery(dep.repository, chart, policy.charts[chart]?.oci);
    const start = semver.parse(current);
    if (!start) continue;
    const d = decide({
      name: chart,
      current: `${start.major}.${minorNumber}.0-0`,
      candidates: await listVersions(query, ctx),
      range: minorRange(current, minorNumber),
      kubernetes: release.version,
      minimumReleaseAgeMs: policy.minimumReleaseAgeMs,
      now: ctx.now(),
      ignored: (v) => isIgnored(policy, chart, v),
    });
    components.push({ kind: 'chart', name: chart, source: describeQuery(query), current: '', allowed: d.chosen?.version ?? '', newest: d.newest, rejected: d.rejected, digest: d.chosen?.digest });
    if (!d.chosen) notes.push(`new minor ${minor}: no ${chart} ${start.major}.${minorNumber}.x release yet, so the proposal cannot be opened`);
  }
  const complete = components.every((c) => c.allowed !== '');
  return [{ line: `${stack.provider}/${stack.name}/${minor}`, minor, kubernetes: release.version, proposal: true, update: false, components, ...(complete ? {} : { incomplete: true }) }];
}
