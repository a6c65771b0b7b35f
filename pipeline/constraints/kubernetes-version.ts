/** Kubernetes version rules: the supported range, kubelet skew of a fixed node image, and the versions.yaml order. */
import semver from 'semver';
import type { Finding, Rule } from './types.js';
import { configAt } from './locate.js';
import { admitsKubernetes, helmRange, majorMinor } from './versions.js';

/** Every build target must be a version the stack says it supports. */
export const kubernetesRange: Rule = {
  id: 'kubernetes-range',
  summary: 'Every Kubernetes version built (versions.yaml / csctl.yaml) must lie inside clusterState.kubernetes',
  needs: 'config',
  check(stack, target) {
    const range = stack.config?.clusterState.kubernetes;
    if (range === undefined) return [];
    if (helmRange(range) === undefined) {
      return [{
        message: `clusterState.kubernetes "${range}" is not a version range`,
        hint: 'Write a semver range such as ">= 1.30.0-0, < 1.34.0-0" or "1.30.x || 1.31.x".',
        location: configAt(stack, '/clusterState/kubernetes'),
      }];
    }
    if (admitsKubernetes(range, target.version) !== false) return [];
    return [{
      message: `Kubernetes ${target.version} is outside the supported range clusterState.kubernetes "${range}"`,
      hint: 'Drop the version from versions.yaml (or csctl.yaml), or widen clusterState.kubernetes once the stack is tested with it.',
      location: target.location,
      related: [configAt(stack, '/clusterState/kubernetes')],
    }];
  },
};

/** Kubernetes version skew policy: kubelet never newer than kube-apiserver and at most three minors older. */
export const kubeletVersionSkew: Rule = {
  id: 'kubelet-version-skew',
  summary: 'A node image with a fixed kubelet minor must be at most 3 minors older than, and never newer than, each target',
  needs: 'config',
  check(stack, target) {
    const kubelet = stack.config?.nodeImage.kubelet;
    if (kubelet === undefined || kubelet === 'match') return [];
    const mm = majorMinor(kubelet);
    if (!mm) return [];
    const [major, minor] = mm;
    const skew = target.minor - minor;
    if (major === target.major && skew >= 0 && skew <= 3) return [];
    const newer = major > target.major || (major === target.major && skew < 0);
    return [{
      message: newer
        ? `The node image's kubelet ${kubelet} is newer than the Kubernetes ${target.version} control plane`
        : `The node image's kubelet ${kubelet} is more than 3 minors older than Kubernetes ${target.version}`,
      hint: `Kubernetes supports kubelets from ${target.major}.${Math.max(0, target.minor - 3)} to ${target.major}.${target.minor} with this control plane: change nodeImage.kubelet (or use "match") or drop the target.`,
      location: configAt(stack, '/nodeImage/kubelet'),
      related: [target.location],
    }];
  },
};

/** Releases are built per minor in order and upgrades go one minor at a time, so versions.yaml should have no holes. */
export const versionsAscending: Rule = {
  id: 'versions-ascending',
  summary: 'versions.yaml should list Kubernetes versions in ascending order without skipped minors',
  needs: 'charts',
  check(stack) {
    const findings: Finding[] = [];
    stack.targets.forEach((cur, i) => {
      const prev = stack.targets[i - 1];
      if (!prev) return;
      const a = semver.coerce(prev.version);
      const b = semver.coerce(cur.version);
      if (!a || !b || (a.major === b.major && a.minor === b.minor)) return;
      if (semver.lt(b, a)) {
        findings.push({
          severity: 'warning',
          message: `versions.yaml lists Kubernetes ${cur.version} after ${prev.version}`,
          hint: 'Keep versions.yaml sorted by Kubernetes version, oldest first.',
          location: cur.location,
          related: [prev.location],
        });
      } else if (a.major === b.major && b.minor - a.minor > 1) {
        const missing = Array.from({ length: b.minor - a.minor - 1 }, (_, k) => `${a.major}.${a.minor + k + 1}`);
        findings.push({
          severity: 'warning',
          message: `versions.yaml skips Kubernetes ${missing.join(', ')} between ${prev.version} and ${cur.version}`,
          hint: 'Clusters upgrade one minor at a time: add an entry for each skipped minor.',
          location: cur.location,
          related: [prev.location],
        });
      }
    });
    return findings;
  },
};
