/** What `--k8s` means in every command: a minor selects that minor's target, a patch exactly that version. */
import type { KubernetesTarget } from './types.js';

/** Whether `target` is the one `k8s` names (`1.32`, `v1.32` or `1.32.5`); every target when `k8s` is undefined. */
export function matchesKubernetes(target: Pick<KubernetesTarget, 'major' | 'minor' | 'version'>, k8s: string | undefined): boolean {
  if (k8s === undefined) return true;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(k8s.trim());
  if (!m) return false;
  if (Number(m[1]) !== target.major || Number(m[2]) !== target.minor) return false;
  return m[3] === undefined || `${m[1]}.${m[2]}.${m[3]}` === target.version;
}
