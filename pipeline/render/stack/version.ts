/**
 * Which version and names the render uses: the given cluster-stack version (dot form) or, without one, the
 * version stage's hash-mode version of each target; the release prefix CSO uses as Helm release name.
 */
import { UserInputError } from '../../core/errors.js';
import { matchesKubernetes, type KubernetesTarget, type Stack } from '../../stack/index.js';
import { formatReleasePrefix, parseVersion } from '../../version/index.js';

/** Throws CLI-friendly when `version` is not a dot-form cluster-stack version (CSO's pkg/version `New`). */
export function checkVersion(version: string): void {
  if (!parseVersion(version, 'dot')) {
    throw new UserInputError('RENDER_VERSION_INVALID', `version ${JSON.stringify(version)} is not a cluster-stack version in dot form`, {
      details: 'Use vN (stable), or vN-<channel>.<patch> such as v0-sha.abc1234 or v1-alpha.1 (release-format.md §2).',
    });
  }
}

/** `P-N-MA-MI`: the cluster-class chart's Helm release name for a target. */
export function releasePrefix(stack: Stack, target: KubernetesTarget): string {
  return formatReleasePrefix(stack.provider, stack.name, target);
}

/** Targets to render: all, or the one `k8s` names (`1.33`, `v1.33`, or exactly `1.33.2`), as every command reads --k8s. */
export function selectTargets(stack: Stack, k8s: string | undefined): KubernetesTarget[] {
  if (k8s === undefined) return stack.targets;
  const chosen = stack.targets.filter((t) => matchesKubernetes(t, k8s));
  if (chosen.length === 0) {
    throw new UserInputError('RENDER_TARGET_UNKNOWN', `${stack.displayDir} has no Kubernetes target ${k8s}`, {
      details: `Choose one of: ${stack.targets.map((t) => `${t.major}.${t.minor}`).join(', ') || 'none (versions.yaml is empty)'}.`,
    });
  }
  return chosen;
}
