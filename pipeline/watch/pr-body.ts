/** Title and Markdown body of an upstream pull request: the change table, links, rejections and release impact. */
import type { StackReport, TargetReport } from './types.js';

/** `upstream: openstack/scs/1.32: kubernetes 1.32.14, cilium 1.17.7`. */
export function pullRequestTitle(target: TargetReport): string {
  if (target.proposal) return `upstream: ${target.line}: new Kubernetes minor ${target.kubernetes} (needs review)`;
  const moved = target.components.filter((c) => c.allowed !== c.current && c.kind !== 'node-image');
  const parts = moved.map((c) => `${c.name} ${c.allowed}`);
  const text = `upstream: ${target.line}: ${parts.join(', ') || 'node image'}`;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** The PR description: what changes, where to read about it, what was not taken and what will be released. */
export function pullRequestBody(target: TargetReport, report: StackReport, impact: string[]): string {
  const rows = target.components
    .filter((c) => c.allowed !== c.current)
    .map((c) => `| ${c.name} | ${cell(c.current || '(new)')} | ${cell(c.allowed)} | ${c.link ? `[release](${c.link})` : releaseLink(c.name, c.allowed)} |`);
  const rejected = target.components.flatMap((c) => c.rejected.map((r) => `- ${c.name} ${r.version}: ${r.reason} (${r.detail})`));
  const review = target.proposal
    ? ['', '### Review (new minor)', ...target.components.flatMap((c) => c.rejected.filter((r) => r.reason === 'new-minor-needs-review').map((r) => `- ${r.detail}`)), '- node images for the new minor exist, and the ClusterClass and addons work with it (CI runs the checks)', '- `csctl.yaml` stays on its current version until this line is meant to be the default']
    : [];
  return [
    `Upstream updates for the stack line \`${target.line}\` (${report.stack}), chosen by the policy in its stack.yaml.`,
    '',
    '| component | from | to | notes |',
    '|---|---|---|---|',
    ...rows,
    ...review,
    '',
    '### Not taken',
    rejected.length ? rejected.join('\n') : 'Nothing newer was refused.',
    '',
    '### Release after merge (`csp plan`)',
    impact.length ? impact.map((i) => `- ${i}`).join('\n') : 'Nothing to release (or not computed).',
    '',
    'Opened by `csp upstream pr`. CI must pass before merge; merging releases the line (docs/upstream.md).',
    'Pushing to this branch hands it to you: csp will not update or close it again.',
  ].join('\n');
}

function cell(value: string): string {
  return value.length > 60 ? `…${value.slice(-57)}` : value;
}

/** Changelog links for the well-known components. */
function releaseLink(name: string, version: string): string {
  const links: Record<string, string> = {
    kubernetes: `https://github.com/kubernetes/kubernetes/releases/tag/v${version}`,
    cilium: `https://github.com/cilium/cilium/releases/tag/v${version}`,
    'metrics-server': `https://github.com/kubernetes-sigs/metrics-server/releases/tag/metrics-server-helm-chart-${version}`,
    'openstack-cloud-controller-manager': `https://github.com/kubernetes/cloud-provider-openstack/releases/tag/openstack-cloud-controller-manager-${version}`,
    'openstack-cinder-csi': `https://github.com/kubernetes/cloud-provider-openstack/releases/tag/openstack-cinder-csi-${version}`,
    'hcloud-cloud-controller-manager': `https://github.com/hetznercloud/hcloud-cloud-controller-manager/releases/tag/v${version}`,
    'hcloud-csi': `https://github.com/hetznercloud/csi-driver/releases/tag/v${version}`,
  };
  const link = links[name];
  return link ? `[release](${link})` : '';
}
