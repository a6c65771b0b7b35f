/**
 * Turning a stack's decisions into file edits: versions.yaml, csctl.yaml, addon Chart.yaml and Chart.lock
 * (version, per-dependency digest, lock digest) and the ORC node-image reference. Pure over file texts:
 * `planEdits` gets the current texts and returns the new ones; only changed scalars differ.
 */
import { parseDocument, parse as parseYaml } from 'yaml';
import { helmLockDigest } from '../version/index.js';
import { SCS_CHART_ALIASES, type Stack } from '../stack/index.js';
import { HASH_PATH, IMAGE_FILE, URL_PATH } from './node-image-ref.js';
import type { StackReport, TargetReport } from './types.js';
import { editMatchingScalars, editScalars, type ScalarEdit } from './yaml-edit.js';

/** Changed files of one stack, relative path → new text. */
export type FileTexts = Record<string, string>;

/** Computes the new texts of every file the report's updates touch (proposals are never applied). */
export function planEdits(stack: Stack, report: StackReport, read: (rel: string) => string): FileTexts {
  const texts: FileTexts = {};
  const get = (rel: string): string => (texts[rel] ??= read(rel));
  const edits = new Map<string, ScalarEdit[]>();
  const add = (rel: string, path: (string | number)[], value: string): void => {
    let list = edits.get(rel);
    if (!list) edits.set(rel, (list = []));
    list.push({ path, value });
  };
  const versionsDoc = stack.files.includes('versions.yaml') ? (parseYaml(get('versions.yaml')) as Record<string, unknown>[]) : undefined;
  const chartChanges = new Map<string, { from: string; to: string; digest?: string }>();

  for (const target of report.targets) {
    if (!target.update || target.proposal) continue;
    const old = stack.targets.find((t) => `${t.major}.${t.minor}` === target.minor);
    if (!old) continue;
    const index = versionsDoc?.findIndex((e) => String(e?.kubernetes ?? '').replace(/^v/, '').startsWith(`${target.minor}.`)) ?? -1;
    const isCsctlTarget = old.version === stack.kubernetesVersion;
    for (const c of target.components) {
      if (c.allowed === c.current) continue;
      if (c.kind === 'kubernetes') {
        if (versionsDoc && index >= 0) add('versions.yaml', [index, 'kubernetes'], keepPrefix(String(versionsDoc[index]!.kubernetes), c.allowed));
        if (isCsctlTarget) add('csctl.yaml', ['config', 'kubernetesVersion'], `v${c.allowed}`);
      } else if (c.kind === 'chart') {
        const key = versionsDoc && index >= 0 ? versionsKey(stack, versionsDoc[index]!, c.name) : undefined;
        if (key) add('versions.yaml', [index, key], keepPrefix(String(versionsDoc![index]![key]), c.allowed));
        if (!key || isCsctlTarget) chartChanges.set(c.name, { from: c.current, to: c.allowed, digest: c.digest });
      } else if (c.kind === 'node-image' && c.url) {
        add(IMAGE_FILE, URL_PATH, c.url);
        if (c.digest) add(IMAGE_FILE, HASH_PATH, c.digest.replace(/^sha256:/, ''));
        imageNames(stack, target, old.version, get, texts);
      }
    }
  }
  for (const addon of stack.addons) chartEdits(addon.path, addon.dependencies.map((d) => d.name), chartChanges, get, add, texts);
  for (const [rel, list] of edits) texts[rel] = editScalars(get(rel), list);
  for (const rel of Object.keys(texts)) if (texts[rel] === read(rel)) delete texts[rel];
  return texts;
}

/** versions.yaml key of a chart in one entry: dependency name, alias, addon folder or SCS short name. */
function versionsKey(stack: Stack, entry: Record<string, unknown>, chart: string): string | undefined {
  const names = new Set<string>([chart]);
  for (const addon of stack.addons) {
    for (const dep of addon.dependencies) {
      if (dep.name !== chart) continue;
      if (dep.alias) names.add(dep.alias);
      if (addon.dependencies.length === 1) names.add(addon.addon);
    }
  }
  for (const [short, name] of Object.entries(SCS_CHART_ALIASES)) if (name === chart) names.add(short);
  return Object.keys(entry).find((k) => k !== 'kubernetes' && names.has(k));
}

function chartEdits(
  dir: string,
  deps: string[],
  changes: Map<string, { from: string; to: string; digest?: string }>,
  get: (rel: string) => string,
  add: (rel: string, path: (string | number)[], value: string) => void,
  texts: FileTexts,
): void {
  if (!deps.some((d) => changes.has(d))) return;
  const chartFile = `${dir}/Chart.yaml`;
  const chart = parseYaml(get(chartFile)) as { dependencies?: { name?: string; version?: string }[] };
  const newChart = chart.dependencies?.map((d) => ({ ...d })) ?? [];
  newChart.forEach((d, i) => {
    const change = d.name ? changes.get(d.name) : undefined;
    if (!change || String(d.version).replace(/^v/, '') !== change.from) return;
    add(chartFile, ['dependencies', i, 'version'], keepPrefix(String(d.version), change.to));
    d.version = keepPrefix(String(d.version), change.to);
  });
  const lockFile = `${dir}/Chart.lock`;
  let lockText: string;
  try {
    lockText = get(lockFile);
  } catch {
    return;
  }
  const lock = parseYaml(lockText) as { dependencies?: { name?: string; version?: string; digest?: string }[]; digest?: string };
  const newLock = lock.dependencies?.map((d) => ({ ...d })) ?? [];
  const lockEdits: ScalarEdit[] = [];
  newLock.forEach((d, i) => {
    const change = d.name ? changes.get(d.name) : undefined;
    if (!change || String(d.version).replace(/^v/, '') !== change.from) return;
    d.version = keepPrefix(String(d.version), change.to);
    lockEdits.push({ path: ['dependencies', i, 'version'], value: d.version });
    if (d.digest !== undefined && change.digest) lockEdits.push({ path: ['dependencies', i, 'digest'], value: change.digest });
  });
  if (lockEdits.length === 0) return;
  if (typeof lock.digest === 'string') lockEdits.push({ path: ['digest'], value: helmLockDigest(newChart, newLock) });
  texts[lockFile] = editScalars(lockText, lockEdits);
}

/** cluster-class/values.yaml image names that carry the old version (ubuntu-capi-image-v1.32.5). */
function imageNames(stack: Stack, target: TargetReport, old: string, get: (rel: string) => string, texts: FileTexts): void {
  const rel = 'cluster-class/values.yaml';
  if (!stack.files.includes(rel)) return;
  const doc = parseDocument(get(rel));
  if (doc.errors.length) return;
  texts[rel] = editMatchingScalars(get(rel), (value) => (value.endsWith(`-v${old}`) ? `${value.slice(0, -old.length)}${target.kubernetes}` : undefined));
}

function keepPrefix(old: string, next: string): string {
  return old.startsWith('v') ? `v${next}` : next;
}

/**
 * The versions.yaml of a new-minor proposal: one entry appended after the last, with the keys of the newest
 * entry (Kubernetes and the per-line charts: coupled ones at their proposed version, others copied).
 */
export function planProposal(stack: Stack, target: TargetReport, read: (rel: string) => string): FileTexts {
  if (!stack.files.includes('versions.yaml') || target.incomplete) return {};
  const text = read('versions.yaml');
  const entries = parseYaml(text) as Record<string, unknown>[];
  const last = entries.at(-1);
  if (!last) return {};
  const chosen = new Map(target.components.map((c) => [c.name, c.allowed]));
  const keys = Object.entries(last).sort(([a], [b]) => Number(b === 'kubernetes') - Number(a === 'kubernetes'));
  const lines = keys.map(([key, value], i) => {
    const old = String(value);
    const chart = key === 'kubernetes' ? 'kubernetes' : [...chosen.keys()].find((name) => versionsKey(stack, last, name) === key);
    const next = chart && chosen.get(chart) ? keepPrefix(old, chosen.get(chart)!) : old;
    return `${i === 0 ? '- ' : '  '}${key}: ${next}`;
  });
  return { 'versions.yaml': `${text.endsWith('\n') ? text : `${text}\n`}${lines.join('\n')}\n` };
}
