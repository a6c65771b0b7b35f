/**
 * Which version and names the render uses: the given cluster-stack version (dot form) or, without one,
 * csctl's hash-mode version `v0-sha.<7>` of the stack, and the release prefix CSO uses as Helm release name.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../../core/errors.js';
import type { KubernetesTarget, Stack } from '../../stack/index.js';

/** CSO's dot-form version regex (pkg/version/version.go `New`). */
const DOT_VERSION = /^v\d+(-\b\w+\b\.\w+)?$/;

/** Throws CLI-friendly when `version` is not a dot-form cluster-stack version. */
export function checkVersion(version: string): void {
  if (!DOT_VERSION.test(version)) {
    throw new UserInputError('RENDER_VERSION_INVALID', `version ${JSON.stringify(version)} is not a cluster-stack version in dot form`, {
      details: 'Use vN (stable), or vN-<channel>.<patch> such as v0-sha.abc1234 or v1-alpha.1 (release-format.md §2).',
    });
  }
}

/**
 * csctl's hash mode (`-m hash`): `v0-sha.` + the first 7 characters of the cleaned dirhash Hash1 of the
 * whole stack folder (release-format.md §14); the same bytes give the same version.
 */
export async function hashModeVersion(stack: Stack): Promise<string> {
  const files = [...stack.files].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const summary = createHash('sha256');
  for (const rel of files) {
    const digest = createHash('sha256').update(await fs.readFile(path.join(stack.dir, rel))).digest('hex');
    summary.update(`${digest}  ${rel}\n`, 'utf8');
  }
  const clean = summary.digest('base64').replace(/[/=+]/g, '').toLowerCase();
  return `v0-sha.${clean.slice(0, 7)}`;
}

/** `P-N-MA-MI`: the cluster-class chart's Helm release name for a target. */
export function releasePrefix(stack: Stack, target: KubernetesTarget): string {
  return `${stack.provider}-${stack.name}-${target.major}-${target.minor}`;
}

/** Targets to render: all, or the one whose minor matches `k8s` (`1.33`, `v1.33` or a full version). */
export function selectTargets(stack: Stack, k8s: string | undefined): KubernetesTarget[] {
  if (k8s === undefined) return stack.targets;
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(k8s.trim());
  const chosen = m ? stack.targets.filter((t) => t.major === Number(m[1]) && t.minor === Number(m[2])) : [];
  if (chosen.length === 0) {
    throw new UserInputError('RENDER_TARGET_UNKNOWN', `${stack.displayDir} has no Kubernetes target ${k8s}`, {
      details: `Choose one of: ${stack.targets.map((t) => `${t.major}.${t.minor}`).join(', ') || 'none (versions.yaml is empty)'}.`,
    });
  }
  return chosen;
}
