/** Chart rules: chart versions tied to Kubernetes minors and every chart's kubeVersion constraint. */
import semver from 'semver';
import type { Location } from '../core/errors.js';
import type { ChartDependency, KubernetesTarget, Stack } from '../stack/index.js';
import { chartAt, pinAt, resolvedAt } from './locate.js';
import type { Finding, Rule } from './types.js';
import { admitsKubernetes } from './versions.js';

/** cloud-provider-openstack charts release one minor per Kubernetes minor: chart 2.<minor>.x for Kubernetes 1.<minor>. */
export const OPENSTACK_MINOR_LOCKED_CHARTS: readonly string[] = ['openstack-cloud-controller-manager', 'openstack-cinder-csi'];

function plainVersion(target: KubernetesTarget, dep: ChartDependency): string | undefined {
  for (const v of [target.charts[dep.name], dep.version, dep.resolved?.version]) {
    const valid = v === undefined ? null : semver.valid(v, { loose: true });
    if (valid) return valid;
  }
  return undefined;
}

/** The OpenStack CCM and Cinder CSI are built against one Kubernetes minor each; another minor is unsupported. */
export const openstackChartMinor: Rule = {
  id: 'openstack-chart-minor',
  summary: 'OpenStack CCM and Cinder CSI chart minor must equal the Kubernetes minor (their 2.<minor>.x scheme)',
  needs: 'charts',
  check(stack, target) {
    const findings: Finding[] = [];
    for (const addon of stack.addons) {
      for (const dep of addon.dependencies) {
        if (!OPENSTACK_MINOR_LOCKED_CHARTS.includes(dep.name)) continue;
        const version = plainVersion(target, dep);
        if (!version || semver.minor(version) === target.minor) continue;
        const pinned = pinAt(stack, target, dep.name);
        findings.push({
          message: `${dep.name} ${version} is built for Kubernetes 1.${semver.minor(version)}, not for Kubernetes ${target.version}`,
          hint: `Use a ${semver.major(version)}.${target.minor}.x release for Kubernetes ${target.major}.${target.minor}${pinned ? ' in this versions.yaml entry' : ' (pin it per Kubernetes version in versions.yaml or in Chart.yaml)'}.`,
          location: pinned ?? dep.location,
          related: [target.location],
        });
      }
    }
    return findings;
  },
};

function kubeVersionFinding(what: string, constraint: string, target: KubernetesTarget, location: Location, related: Location[]): Finding | undefined {
  const ok = admitsKubernetes(constraint, target.version);
  if (ok === true) return undefined;
  if (ok === undefined) {
    return {
      message: `${what} has kubeVersion "${constraint}", which is not a valid version constraint`,
      hint: 'Helm refuses such a chart: write a constraint such as ">= 1.21.0-0" or ">= 1.28.0-0, < 1.34.0-0".',
      location,
      related,
    };
  }
  return {
    message: `${what} requires kubeVersion "${constraint}", which excludes Kubernetes ${target.version}`,
    hint: `Use a chart version whose kubeVersion admits ${target.version}, or drop Kubernetes ${target.major}.${target.minor} from the targets.`,
    location,
    related: [target.location, ...related],
  };
}

/** Helm refuses to install a chart whose kubeVersion excludes the cluster's version. */
export const chartKubeVersion: Rule = {
  id: 'chart-kube-version',
  summary: "Each chart's and each resolved dependency's kubeVersion constraint must admit the target Kubernetes version",
  needs: 'charts',
  check(stack, target) {
    const findings: Finding[] = [];
    const push = (f: Finding | undefined): void => {
      if (f) findings.push(f);
    };
    for (const chart of [stack.clusterClass, ...stack.addons]) {
      if (chart.kubeVersion !== undefined) {
        push(kubeVersionFinding(`Chart ${chart.path}`, chart.kubeVersion, target, chartAt(stack, chart, '/kubeVersion'), []));
      }
      for (const dep of chart.dependencies) push(dependencyFinding(stack, dep, target));
    }
    return findings;
  },
};

function dependencyFinding(stack: Stack, dep: ChartDependency, target: KubernetesTarget): Finding | undefined {
  const resolved = dep.resolved;
  if (resolved?.kubeVersion === undefined) return undefined;
  // The resolved chart says nothing about another version pinned for this target.
  const pinned = target.charts[dep.name];
  if (pinned !== undefined && semver.valid(pinned, { loose: true }) !== semver.valid(resolved.version, { loose: true })) return undefined;
  const at = resolvedAt(stack, dep);
  return kubeVersionFinding(`Chart ${dep.name} ${resolved.version}`, resolved.kubeVersion, target, dep.location, at ? [at] : []);
}
