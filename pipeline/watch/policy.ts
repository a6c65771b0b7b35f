/**
 * The update policy of one stack: stack.yaml `upstream` (schema-checked) with defaults for stacks that
 * have none (the SCS fixtures): Kubernetes patches move, charts tied to the minor move with it, every
 * other chart moves within its current minor, no minimum age, node images as the provider implies.
 */
import { OPENSTACK_MINOR_LOCKED_CHARTS } from '../constraints/index.js';
import type { Stack, UpstreamConfig } from '../stack/index.js';

/** The resolved policy the decisions use. */
export interface Policy {
  minimumReleaseAgeMs: number;
  newMinors: 'propose' | 'ignore';
  /** Minor (1.31) → end-of-life date (ISO); past ⇒ no new patches expected. */
  endOfLife: Record<string, string>;
  charts: Record<string, { range?: string; followKubernetesMinor: boolean; oci?: string }>;
  nodeImage: { source: 'osism' | 'kindest' | 'none'; repository?: string };
  ignore: string[];
  releases: { name: string; repo: string; current: string }[];
}

/** Parses "3d", "12h", "30m" into milliseconds; undefined for anything else. */
export function parseAge(text: string): number | undefined {
  const m = /^(\d+)\s*(d|h|m)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
  return Number(m[1]) * unit;
}

/** The policy for `stack`: its stack.yaml `upstream` block over the defaults. */
export function resolvePolicy(stack: Stack, config: UpstreamConfig | undefined): Policy {
  const charts: Policy['charts'] = {};
  for (const addon of stack.addons) {
    for (const dep of addon.dependencies) {
      const own = config?.charts?.[dep.name];
      charts[dep.name] = {
        range: own?.range,
        followKubernetesMinor: own?.followKubernetesMinor ?? OPENSTACK_MINOR_LOCKED_CHARTS.includes(dep.name),
        oci: own?.oci,
      };
    }
  }
  const defaultImage: Policy['nodeImage'] = stack.provider === 'docker'
    ? { source: 'kindest', repository: 'docker.io/kindest/node' }
    : stack.files.includes('cluster-class/templates/image.yaml') ? { source: 'osism' } : { source: 'none' };
  return {
    minimumReleaseAgeMs: parseAge(config?.minimumReleaseAge ?? '0d') ?? 0,
    newMinors: config?.kubernetes?.newMinors ?? 'propose',
    endOfLife: config?.kubernetes?.endOfLife ?? {},
    charts,
    nodeImage: config?.nodeImage ? { repository: config.nodeImage.source === 'kindest' ? 'docker.io/kindest/node' : undefined, ...config.nodeImage } : defaultImage,
    ignore: config?.ignore ?? [],
    releases: config?.releases ?? [],
  };
}

/** Is `name@version` (or all of `name`) on the ignore list? */
export function isIgnored(policy: Policy, name: string, version: string): boolean {
  return policy.ignore.some((entry) => entry === name || entry === `${name}@${version}` || entry === `${name}@v${version}`);
}
