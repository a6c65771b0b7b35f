/**
 * `checkUpstream`: for every stack and target, ask the sources and let the policy decide each component
 * (Kubernetes patch, charts, node image, watched releases). A failing source fails the whole check:
 * a partial answer is never passed off as complete.
 */
import semver from 'semver';
import { admitsKubernetes } from '../constraints/index.js';
import type { Stack } from '../stack/index.js';
import { decide, minorRange, patchRange, type Decision } from './decide.js';
import { isIgnored, resolvePolicy, type Policy } from './policy.js';
import { chartQuery, describeQuery, listVersions } from './sources.js';
import { osismImageUrl, readImageRef } from './node-image-ref.js';
import { proposeNewMinor } from './proposal.js';
import { readSchedule } from './sources/schedule.js';
import type { Candidate, ComponentDecision, SourceContext, SourceQuery, StackReport, TargetReport } from './types.js';

/** Checks one loaded stack against upstream. */
export async function checkStack(stack: Stack, ctx: SourceContext): Promise<StackReport> {
  const config = stack.config?.upstream;
  const policy = resolvePolicy(stack, config);
  const notes: string[] = [];
  const now = ctx.now();
  const imageRef = policy.nodeImage.source === 'osism' ? await readImageRef(stack) : undefined;
  if (policy.nodeImage.source === 'osism' && !imageRef) notes.push('node image: no ORC Image URL found in cluster-class/templates/image.yaml; Kubernetes patches are not gated on images');
  const kindTags = policy.nodeImage.source === 'kindest' ? await kindestTags(policy, ctx) : undefined;
  // stack.yaml's endOfLife dates override the published schedule (e.g. an extended support promise).
  const endOfLife = { ...(await readSchedule(ctx)), ...policy.endOfLife };

  // Kubernetes first for every line: charts shared by all lines must admit every line's new version.
  const perTarget: { target: (typeof stack.targets)[number]; minor: string; k8s: Decision; components: ComponentDecision[] }[] = [];
  for (const target of stack.targets) {
    const minor = `${target.major}.${target.minor}`;
    const components: ComponentDecision[] = [];
    const eol = endOfLife[minor];
    if (eol && Date.parse(eol) <= now.getTime()) notes.push(`Kubernetes ${minor} reached end of life on ${eol}: no new patch releases for that minor`);
    const k8sQuery: SourceQuery = { kind: 'kubernetes', minor };
    // kind publishes images only for real releases: its tags of this minor are usable candidates too, so a
    // line can take the newest patch that has an image when the newest release has none yet.
    const kindCandidates = [...(kindTags ?? [])].filter((t) => new RegExp(`^v${target.major}\\.${target.minor}\\.\\d+$`).test(t)).map((t) => ({ version: t.slice(1), tag: t }));
    const released = await listVersions(k8sQuery, ctx);
    const known = new Set(released.map((c) => c.version));
    const k8sCandidates = [...released, ...kindCandidates.filter((k) => !known.has(k.version))];
    const missing = new Set<string>();
    const images = new Map<string, Candidate>();
    let k8s = decideK8s();
    function decideK8s() {
      return decide({
        name: 'kubernetes',
        current: target.version,
        candidates: k8sCandidates,
        minimumReleaseAgeMs: policy.minimumReleaseAgeMs,
        now,
        ignored: (v) => isIgnored(policy, 'kubernetes', v),
        imageMissing: (v) => missing.has(v),
      });
    }
    // Gate on the node image: a patch is usable only when its image exists.
    for (let round = 0; round < 5 && k8s.chosen; round++) {
      const version = k8s.chosen.version;
      if (kindTags && !kindTags.has(`v${version}`)) missing.add(version);
      else if (imageRef && target.version === stack.kubernetesVersion) {
        const url = osismImageUrl(imageRef.url, stack.kubernetesVersion, version);
        const found = url ? (await listVersions({ kind: 'node-image', url }, ctx))[0] : undefined;
        if (found) images.set(version, found);
        else missing.add(version);
      }
      if (!missing.has(version)) break;
      k8s = decideK8s();
    }
    components.push({ kind: 'kubernetes', name: 'kubernetes', source: describeQuery(k8sQuery), current: target.version, ...pick(k8s), location: target.location });
    const image = images.get(k8s.allowed);
    if (imageRef && target.version === stack.kubernetesVersion && k8s.allowed !== target.version && image) {
      components.push({ kind: 'node-image', name: 'node-image', source: 'OSISM node image', current: imageRef.url, allowed: image.url ?? '', rejected: [], digest: image.digest, url: image.url });
    }
    perTarget.push({ target, minor, k8s, components });
  }
  const finalVersions = perTarget.map((t) => t.k8s.allowed);

  const targets: TargetReport[] = [];
  for (const { target, minor, k8s, components } of perTarget) {
    for (const addon of stack.addons) {
      for (const dep of addon.dependencies) {
        const pinnedPerTarget = target.charts[dep.name] !== undefined;
        // Charts pinned only in Chart.yaml are shared by all targets: decided once, on csctl.yaml's target.
        if (!pinnedPerTarget && target.version !== stack.kubernetesVersion) continue;
        const current = target.charts[dep.name] ?? dep.version;
        if (!current || !dep.repository) continue;
        const rule = policy.charts[dep.name];
        const range = rule?.followKubernetesMinor ? minorRange(current, target.minor) : (rule?.range ?? patchRange(current));
        const query = chartQuery(dep.repository, dep.name, rule?.oci);
        const candidates = await listVersions(query, ctx);
        const kubernetesVersions = pinnedPerTarget ? [k8s.allowed] : finalVersions;
        const d = decide({
          name: dep.name,
          current,
          candidates: candidates.filter((c) => admitsEvery(c, kubernetesVersions)),
          range,
          minimumReleaseAgeMs: policy.minimumReleaseAgeMs,
          now,
          ignored: (v) => isIgnored(policy, dep.name, v),
        });
        d.rejected = d.rejected.filter((r) => r.reason !== 'kube-version-mismatch');
        const excluded = candidates.filter((c) => !admitsEvery(c, kubernetesVersions) && !c.prerelease && !c.removed && semver.valid(c.version) && semver.gt(c.version, d.allowed) && (!range || semver.satisfies(c.version, range)));
        for (const c of excluded.slice(0, 3)) d.rejected.push({ version: c.version, reason: 'kube-version-mismatch', detail: `its kubeVersion "${c.kubeVersion}" does not admit Kubernetes ${kubernetesVersions.join(', ')}` });
        const chosen = d.chosen ?? candidates.find((c) => c.version === current);
        components.push({ kind: 'chart', name: dep.name, source: describeQuery(query), current, ...pick(d), digest: chosen?.digest, location: pinnedPerTarget ? target.location : dep.location });
      }
    }
    const update = components.some((c) => c.allowed !== c.current);
    targets.push({ line: `${stack.provider}/${stack.name}/${minor}`, minor, kubernetes: k8s.allowed, components, update });
  }
  targets.push(...(await proposeNewMinor(stack, policy, ctx, notes)));
  for (const watched of policy.releases) notes.push(await releaseNote(watched, ctx));
  return { stack: stack.displayDir, dir: stack.dir, provider: stack.provider, name: stack.name, targets, notes };
}

function pick(d: { allowed: string; newest?: string; rejected: ComponentDecision['rejected']; chosen?: Candidate }) {
  return { allowed: d.allowed, newest: d.newest, rejected: d.rejected, link: d.chosen?.link };
}

/** Does the chart version's kubeVersion admit every one of these Kubernetes versions (Helm's test)? */
function admitsEvery(c: Candidate, kubernetes: string[]): boolean {
  return !c.kubeVersion || kubernetes.every((k) => admitsKubernetes(c.kubeVersion!, k) === true);
}

async function kindestTags(policy: Policy, ctx: SourceContext): Promise<Set<string>> {
  const tags = await listVersions({ kind: 'oci', repository: policy.nodeImage.repository ?? 'docker.io/kindest/node' }, ctx);
  return new Set(tags.map((t) => t.tag ?? `v${t.version}`));
}

async function releaseNote(watched: Policy['releases'][number], ctx: SourceContext): Promise<string> {
  const releases = await listVersions({ kind: 'github', repo: watched.repo }, ctx);
  const d = decide({ name: watched.name, current: watched.current.replace(/^v/, ''), candidates: releases, minimumReleaseAgeMs: 0, now: ctx.now(), ignored: () => false });
  return d.chosen
    ? `${watched.name}: ${watched.current} → v${d.allowed} available (${watched.repo}${d.chosen.link ? `, ${d.chosen.link}` : ''}); watched only, not edited`
    : `${watched.name}: ${watched.current} is the newest release of ${watched.repo}`;
}
