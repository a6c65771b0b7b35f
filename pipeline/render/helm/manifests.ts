/**
 * From rendered files to `helm template` output (helm/helm pkg/releaseutil/manifest.go, manifest_sorter.go,
 * kind_sorter.go; pkg/action/action.go renderResources; cmd/helm/template.go): split on `---`, hooks apart,
 * stable sort by InstallOrder of kinds (unknown kinds last, alphabetical).
 */
import { parseDocument } from 'yaml';
import { UserInputError } from '../../core/errors.js';
import { trimSpace } from '../funcs/text.js';
import { parseSimpleYamlRelaxed } from '../funcs/yaml-fast.js';
import { relaxQuotedScalarIndent } from '../funcs/yaml-relax.js';
import { limitEnvName, limits } from '../../core/limits.js';

/** releaseutil.InstallOrder (Helm 3.19). */
export const INSTALL_ORDER: readonly string[] = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList',
  'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController',
  'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress',
  'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

const HOOK_EVENTS = new Set([
  'pre-install', 'post-install', 'pre-delete', 'post-delete', 'pre-upgrade', 'post-upgrade', 'pre-rollback', 'post-rollback', 'test', 'test-success',
]);

/** One document of the output with what sorting needs. */
export interface SortedManifest {
  /** Template path as printed in `# Source:`. */
  name: string;
  content: string;
  kind: string;
  /** `metadata.name`, when present. */
  resourceName: string;
  hook: boolean;
}

function isGoSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}

/**
 * Go's regexp Split with `(?:^|\s*\n)---\s*` (Go's \s is ASCII whitespace only), without the regexp: a
 * match is `---` at the start, or the whitespace run (after the previous match) ending in `\n---`, plus
 * the whitespace after it. Leftmost-first like the regexp, which backtracks on every blank run.
 */
export function splitManifests(bigFile: string): string[] {
  const text = trimSpace(bigFile);
  const pieces: string[] = [];
  let beg = 0;
  let end = 0;
  let from = 0;
  for (;;) {
    let start: number;
    let stop: number;
    if (from === 0 && text.startsWith('---')) {
      start = 0;
      stop = 3;
    } else {
      const nl = text.indexOf('\n---', from);
      if (nl < 0) break;
      start = nl;
      while (start > from && isGoSpace(text.charCodeAt(start - 1))) start--;
      stop = nl + 4;
    }
    while (stop < text.length && isGoSpace(text.charCodeAt(stop))) stop++;
    end = start;
    pieces.push(text.slice(beg, end));
    beg = stop;
    from = stop;
  }
  if (end !== text.length) pieces.push(text.slice(beg));
  return pieces.filter((d) => d !== '').map((d) => trimSpace(d));
}

interface Head {
  kind: string;
  name: string;
  annotations: Record<string, unknown>;
}

/** The document as JS: the fast reader when it applies, else the yaml package (errors fail the render). */
function parseManifest(doc: string, file: string): unknown {
  const fast = parseSimpleYamlRelaxed(doc, relaxQuotedScalarIndent);
  if (fast) return fast.doc;
  let parsed = parseDocument(doc, { uniqueKeys: false, version: '1.1' });
  // yaml.v2 accepts under-indented quoted-scalar continuation lines (SCS openstack cluster-class); retry relaxed.
  if (parsed.errors.length > 0) parsed = parseDocument(relaxQuotedScalarIndent(doc), { uniqueKeys: false, version: '1.1' });
  const err = parsed.errors[0];
  if (err) {
    throw new UserInputError('HELM_MANIFEST_YAML_ERROR', `YAML parse error on ${file}: ${err.message.split('\n')[0] ?? ''}`, {
      details: 'The template renders invalid YAML; render it with csp template and check the document.',
      location: { file },
    });
  }
  try {
    return parsed.toJS({ maxAliasCount: limits().yamlAliases }) as unknown;
  } catch (error) {
    // An alias bomb in rendered output: refused like any other broken document, naming the template.
    throw new UserInputError('HELM_MANIFEST_YAML_ERROR', `YAML parse error on ${file}: ${(error as Error).message.split('\n')[0] ?? ''}`, {
      details: `The template renders YAML whose aliases expand beyond ${limits().yamlAliases} nodes per anchor (${limitEnvName('yamlAliases')}).`,
      location: { file },
    });
  }
}

function readHead(doc: string, file: string): Head {
  const v = parseManifest(doc, file);
  const obj = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const meta = obj.metadata !== null && typeof obj.metadata === 'object' ? (obj.metadata as Record<string, unknown>) : {};
  const ann = meta.annotations !== null && typeof meta.annotations === 'object' ? (meta.annotations as Record<string, unknown>) : {};
  return { kind: typeof obj.kind === 'string' ? obj.kind : '', name: typeof meta.name === 'string' ? meta.name : '', annotations: ann };
}

/** Stable sort by kind: InstallOrder first, unknown kinds last in alphabetical order of kind. */
export function sortByKind<T extends { kind: string }>(manifests: T[], order: readonly string[] = INSTALL_ORDER): T[] {
  const rank = new Map(order.map((k, i) => [k, i]));
  return [...manifests].sort((a, b) => {
    const ra = rank.get(a.kind);
    const rb = rank.get(b.kind);
    if (ra === undefined && rb === undefined) return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
    if (ra === undefined) return 1;
    if (rb === undefined) return -1;
    return ra - rb;
  });
}

/**
 * releaseutil.SortManifests: files in path order (partials and blank files skipped), each split into
 * documents; hook documents (`helm.sh/hook`) apart, unknown hooks dropped. Returns manifests then hooks.
 */
export function sortManifests(files: Map<string, string>, displayFile: (name: string) => string = (n) => n): { manifests: SortedManifest[]; hooks: SortedManifest[] } {
  const generic: SortedManifest[] = [];
  const hooks: SortedManifest[] = [];
  const paths = [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const p of paths) {
    if ((p.split('/').pop() ?? '').startsWith('_')) continue;
    const content = files.get(p) ?? '';
    if (trimSpace(content) === '') continue;
    for (const doc of splitManifests(content)) {
      const head = readHead(doc, displayFile(p));
      const entry = { name: p, content: doc, kind: head.kind, resourceName: head.name, hook: false };
      const hookTypes = Object.keys(head.annotations).length > 0 ? head.annotations['helm.sh/hook'] : undefined;
      if (hookTypes === undefined) {
        generic.push(entry);
        continue;
      }
      const events = String(hookTypes).split(',').map((h) => h.trim().toLowerCase());
      if (events.some((e) => !HOOK_EVENTS.has(e))) continue;
      hooks.push({ ...entry, hook: true });
    }
  }
  return { manifests: sortByKind(generic), hooks: sortByKind(hooks) };
}
