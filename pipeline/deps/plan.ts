/** Deciding which upstream charts a set of stacks needs (pure; no network, no disk). */
import type { Location } from '../core/errors.js';
import type { Stack } from '../stack/index.js';

/** One chart to fetch: repository + name + version, and who needs it. */
export interface ChartRequest {
  repository: string;
  name: string;
  version: string;
  /** Digest pinned for it in Chart.lock (`sha256:<hex>`), when the lock pins one. */
  pinned?: string;
  neededBy: { stack: string; addon: string; kubernetes: string; location: Location }[];
}

/**
 * Lists every dependency of every addon chart for every build target (versions.yaml may pin other
 * versions per Kubernetes minor). Charts already vendored in `charts/` at that version are left out.
 */
export function planChartRequests(stacks: Stack[]): ChartRequest[] {
  const byKey = new Map<string, ChartRequest>();
  for (const stack of stacks) {
    for (const target of stack.targets) {
      for (const addon of stack.addons) {
        for (const dep of addon.dependencies) {
          const version = target.charts[dep.name] ?? dep.version;
          if (!version || !dep.repository) continue;
          if (dep.resolved?.source === 'vendored' && dep.resolved.version === version) continue;
          const repository = normalizeRepo(dep.repository);
          const key = `${repository}|${dep.name}|${version}`;
          let request = byKey.get(key);
          if (!request) {
            const pinned = version === dep.version ? dep.lockedDigest : undefined;
            request = { repository, name: dep.name, version, pinned, neededBy: [] };
            byKey.set(key, request);
          }
          const location = target.charts[dep.name] ? target.location : dep.location;
          request.neededBy.push({ stack: stack.displayDir, addon: addon.addon, kubernetes: target.version, location });
        }
      }
    }
  }
  return [...byKey.values()].sort((a, b) => `${a.name}@${a.version}`.localeCompare(`${b.name}@${b.version}`));
}

/** Repository URLs compare with exactly one trailing slash. */
export function normalizeRepo(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Applies `--mirror FROM=TO` rules (longest FROM first) to a repository URL. */
export function applyMirrors(url: string, mirrors: Record<string, string>): string {
  const from = Object.keys(mirrors)
    .map(normalizeRepo)
    .sort((a, b) => b.length - a.length)
    .find((m) => url.startsWith(m));
  if (!from) return url;
  const to = mirrors[from] ?? mirrors[from.slice(0, -1)] ?? '';
  return normalizeRepo(to) + url.slice(from.length);
}
