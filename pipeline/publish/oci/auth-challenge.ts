/** Pure helpers for registry auth: parsing `WWW-Authenticate`, and merging token scopes. */

/** A parsed `WWW-Authenticate` challenge. */
export interface Challenge {
  scheme: 'basic' | 'bearer' | 'other';
  params: Record<string, string>;
}

/** Parses `Bearer realm="…",service="…",scope="a b",error="insufficient_scope"` (or Basic). */
export function parseChallenge(header: string | null): Challenge | null {
  if (!header) return null;
  const match = /^\s*([A-Za-z][A-Za-z0-9._-]*)\s*(.*)$/s.exec(header);
  if (!match) return null;
  const name = match[1]!.toLowerCase();
  const scheme = name === 'basic' || name === 'bearer' ? name : 'other';
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?\s*/gy;
  const rest = match[2] ?? '';
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest))) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    if (re.lastIndex >= rest.length) break;
  }
  return { scheme, params };
}

/** `repository:<name>:<actions>` for the token service. */
export function repositoryScope(name: string, actions: 'pull' | 'pull,push' | 'delete' | string): string {
  return `repository:${name}:${actions}`;
}

/** Merges scopes per resource and sorts them, so equal needs give equal cache keys. */
export function mergeScopes(scopes: readonly string[]): string[] {
  const byResource = new Map<string, Set<string>>();
  for (const scope of scopes.flatMap((s) => s.split(' ')).filter(Boolean)) {
    const last = scope.lastIndexOf(':');
    if (last <= 0) continue;
    const resource = scope.slice(0, last);
    const set = byResource.get(resource) ?? new Set<string>();
    for (const action of scope.slice(last + 1).split(',').filter(Boolean)) set.add(action);
    byResource.set(resource, set);
  }
  return [...byResource.entries()].map(([resource, actions]) => `${resource}:${[...actions].sort().join(',')}`).sort();
}

/** True when the scopes of `have` include every action of `want` (`*` covers all). */
export function coversScopes(have: readonly string[], want: readonly string[]): boolean {
  const granted = new Map(mergeScopes(have).map((s) => [s.slice(0, s.lastIndexOf(':')), s.slice(s.lastIndexOf(':') + 1).split(',')]));
  return mergeScopes(want).every((s) => {
    const actions = granted.get(s.slice(0, s.lastIndexOf(':')));
    return actions !== undefined && (actions.includes('*') || s.slice(s.lastIndexOf(':') + 1).split(',').every((a) => actions.includes(a)));
  });
}
