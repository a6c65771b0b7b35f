/**
 * The rebuild key (node-images.md §7): sha256 of a canonical JSON of everything that decides an image's
 * bytes: recipe files, target, base image, versions, variables, Packer and plugin versions. Secrets,
 * timestamps and output paths never enter it, so the same request always has the same key.
 */
import { createHash } from 'node:crypto';
import type { Recipe } from './types.js';

/** Bumped when the key's inputs change shape, so old records stop matching. */
export const KEY_VERSION = 1;

/** Kubernetes version variables derived from one target version (never typed twice). */
export function kubernetesVariables(version: string, debRevision = '1.1'): Record<string, string> {
  const [major = '0', minor = '0'] = version.split('.');
  return { kubernetes_semver: `v${version}`, kubernetes_series: `v${major}.${minor}`, kubernetes_deb_version: `${version}-${debRevision}` };
}

/** Variables Packer gets for one target: recipe, then target, then Kubernetes (later wins). */
export function targetVariables(recipe: Recipe, target: string, kubernetes: string): Record<string, string> {
  const t = recipe.config.targets[target];
  return { ...recipe.config.variables, ...t?.variables, ...kubernetesVariables(kubernetes, recipe.config.debRevision) };
}

/** The canonical key inputs (exported so plans can show what a key covers). */
export function keyInputs(recipe: Recipe, target: string, kubernetes: string): Record<string, unknown> {
  const t = recipe.config.targets[target];
  if (!t) throw new Error(`recipe ${recipe.name} has no target ${target}`);
  // Other targets' templates and base scripts do not decide this target's bytes.
  const others = new Set(Object.entries(recipe.config.targets).filter(([n]) => n !== target).flatMap(([, o]) => [o.template, ...(o.base ? [o.base] : [])]));
  const mine = new Set([t.template, ...(t.base ? [t.base] : [])]);
  const files = Object.fromEntries(Object.entries(recipe.files).filter(([f]) => mine.has(f) || !others.has(f)));
  const usesPlugins = pluginCapable(t.packer);
  return {
    keyVersion: KEY_VERSION,
    recipe: recipe.name,
    files,
    target: { name: target, builder: t.builder, format: t.format, arch: 'amd64', base: t.base ?? null },
    os: recipe.config.os,
    kernel: recipe.config.kernel,
    cgroup: recipe.config.cgroup,
    cri: recipe.config.cri,
    ociRuntime: recipe.config.ociRuntime,
    packer: { version: t.packer, plugins: usesPlugins ? recipe.plugins : {} },
    variables: targetVariables(recipe, target, kubernetes),
    rebuildEpoch: recipe.config.rebuildEpoch ?? 0,
  };
}

/** sha256 hex of the canonical key inputs. */
export function rebuildKey(recipe: Recipe, target: string, kubernetes: string): string {
  return createHash('sha256').update(canonicalJson(keyInputs(recipe, target, kubernetes))).digest('hex');
}

/** The immutable image name: <recipe>-kube-v<patch>-<key8>. */
export function imageName(recipe: string, kubernetes: string, key: string): string {
  return `${recipe}-kube-v${kubernetes}-${key.slice(0, 8)}`;
}

/** JSON with object keys sorted at every depth. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

function pluginCapable(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 7);
}
