/** Build targets: versions.yaml (one per Kubernetes version) or csctl.yaml's single version. */
import path from 'node:path';
import type { Location } from '../core/errors.js';
import { checkSchema } from '../core/schema.js';
import { readYamlFile } from '../core/source.js';
import type { LoadContext } from './load-chart.js';
import { collectLocations, where } from './locations.js';
import type { AddonChart, KubernetesTarget } from './types.js';

/** Short names the SCS stacks use in versions.yaml for the OpenStack charts. */
export const SCS_CHART_ALIASES: Readonly<Record<string, string>> = {
  occm: 'openstack-cloud-controller-manager',
  cinder_csi: 'openstack-cinder-csi',
};

/** Reads versions.yaml (if any) and returns one target per listed Kubernetes version. */
export async function loadTargets(input: {
  ctx: LoadContext;
  addons: AddonChart[];
  kubernetesVersion: string;
  csctlFile: string;
}): Promise<KubernetesTarget[]> {
  const { ctx, addons, kubernetesVersion, csctlFile } = input;
  const csctlLocation = where(ctx.locations, csctlFile, '/config/kubernetesVersion');
  if (!ctx.files.includes('versions.yaml')) return [target(kubernetesVersion, {}, csctlLocation)];

  const { source, issues } = await readYamlFile(path.join(ctx.root, 'versions.yaml'), ctx.display('versions.yaml'));
  ctx.issues.push(...issues);
  if (!source) return [];
  collectLocations(source, ctx.locations);
  const schemaIssues = checkSchema(source, 'versions.schema.json');
  ctx.issues.push(...schemaIssues);
  if (schemaIssues.length > 0) return [];

  const known = knownCharts(addons);
  const entries = source.value as Record<string, string>[];
  const targets: KubernetesTarget[] = [];
  const seenMinors = new Map<string, number>();
  entries.forEach((entry, i) => {
    const version = String(entry.kubernetes).replace(/^v/, '');
    const charts: Record<string, string> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'kubernetes') continue;
      const chart = known.get(key);
      if (!chart) {
        ctx.issues.push({
          severity: 'error',
          code: 'VERSIONS_UNKNOWN_CHART',
          message: `versions.yaml names chart "${key}", which no cluster-addon chart depends on`,
          hint: `Use a dependency name from cluster-addon/*/Chart.yaml: ${[...new Set(known.values())].sort().join(', ') || 'none found'}.`,
          location: where(ctx.locations, source.file, `/${i}/${key}@key`),
        });
        continue;
      }
      charts[chart] = String(value).replace(/^v/, '');
    }
    const t = target(version, charts, where(ctx.locations, source.file, `/${i}/kubernetes`));
    const minorKey = `${t.major}.${t.minor}`;
    if (seenMinors.has(minorKey)) {
      ctx.issues.push({
        severity: 'error',
        code: 'VERSIONS_DUPLICATE_MINOR',
        message: `versions.yaml lists Kubernetes ${minorKey} twice`,
        hint: 'Keep one entry per Kubernetes minor: a stack builds one release per minor.',
        location: t.location,
      });
    }
    seenMinors.set(minorKey, i);
    targets.push(t);
  });
  if (!targets.some((t) => t.version === kubernetesVersion)) {
    ctx.issues.push({
      severity: 'warning',
      code: 'CSCTL_VERSION_NOT_LISTED',
      message: `csctl.yaml kubernetesVersion v${kubernetesVersion} is not one of the versions in versions.yaml`,
      hint: 'csctl builds csctl.yaml\'s version; list it in versions.yaml too so both tools build the same thing.',
      location: csctlLocation,
    });
  }
  return targets;
}

function target(version: string, charts: Record<string, string>, location: Location): KubernetesTarget {
  const [major, minor] = version.split('.').map(Number);
  return { version, major: major ?? 0, minor: minor ?? 0, charts, location };
}

/** versions.yaml key → dependency name: dependency names, aliases, addon folder names, SCS short names. */
function knownCharts(addons: AddonChart[]): Map<string, string> {
  const known = new Map<string, string>();
  for (const addon of addons) {
    for (const dep of addon.dependencies) {
      known.set(dep.name, dep.name);
      if (dep.alias) known.set(dep.alias, dep.name);
      if (addon.dependencies.length === 1) known.set(addon.addon, dep.name);
    }
  }
  for (const [short, name] of Object.entries(SCS_CHART_ALIASES)) {
    if ([...known.values()].includes(name)) known.set(short, name);
  }
  return known;
}
