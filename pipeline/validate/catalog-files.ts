/**
 * File side of the schema catalog: finds its source documents (pinned in schemas/sources.yaml) in local
 * folders — the cache of `csp schemas sync`, or ../shared/fixtures in tests — and writes or checks the
 * generated files (`csp schemas catalog [--check]`).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { hasErrors, type Issue } from '../core/errors.js';
import { generateCatalog, type CatalogOrigin, type CatalogSources } from './catalog.js';
import { listYamlFiles } from './crd-schema.js';

/** What the catalog must hold: Kubernetes minors and provider releases (from schemas/sources.yaml). */
export interface CatalogPins {
  kubernetes: { minor: string }[];
  providers: { name: string; version: string }[];
}

/** File name of a minor's Swagger 2.0 document in a source folder (as `csp schemas sync` stores it). */
export function swaggerFileName(minor: string): string {
  return `swagger-v${minor}.json`;
}

/** Breadth-first search (depth ≤ 3, no symbolic links) for an entry of the given name under the folders. */
async function findEntry(roots: readonly string[], name: string, want: 'file' | 'dir'): Promise<string | undefined> {
  let level = [...roots];
  for (let depth = 0; depth <= 3 && level.length; depth += 1) {
    const next: string[] = [];
    for (const dir of level) {
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir, e.name);
        if (e.name === name && (want === 'file' ? e.isFile() : e.isDirectory())) return full;
        if (e.isDirectory()) next.push(full);
      }
    }
    level = next;
  }
  return undefined;
}

/** Reads the pinned source documents from the folders; a pinned document not found is an error. */
export async function collectCatalogSources(pins: CatalogPins, roots: readonly string[], show: (p: string) => string = (p) => p): Promise<{ sources: CatalogSources; issues: Issue[] }> {
  const sources: CatalogSources = { kubernetes: [], providers: [] };
  const issues: Issue[] = [];
  const where = roots.map(show).join(', ');
  for (const { minor } of pins.kubernetes) {
    const name = swaggerFileName(minor);
    const file = await findEntry(roots, name, 'file');
    if (!file) {
      issues.push({ severity: 'error', code: 'CATALOG_SOURCE_MISSING', message: `no ${name} (Kubernetes ${minor} OpenAPI v2) under ${where}`, hint: 'Run csp schemas sync (it downloads the pinned documents), or pass --from with the folder that holds them.' });
      continue;
    }
    sources.kubernetes.push({ minor, document: { name, text: await fs.readFile(file, 'utf8') } });
  }
  for (const { name, version } of pins.providers) {
    const dir = await findEntry(roots, `${name}-${version}`, 'dir');
    if (!dir) {
      issues.push({ severity: 'error', code: 'CATALOG_SOURCE_MISSING', message: `no ${name}-${version}/ folder of CRDs under ${where}`, hint: 'Run csp schemas sync, or pass --from with the folder that holds <name>-<version>/.' });
      continue;
    }
    const files = [];
    for (const file of await listYamlFiles(dir)) files.push({ name: path.relative(dir, file).split(path.sep).join('/'), text: await fs.readFile(file, 'utf8') });
    sources.providers.push({ name, version, files });
  }
  return { sources, issues };
}

/** Catalog files present in a folder (relative paths, sorted). */
async function existingFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const sub of ['', 'kubernetes', 'providers']) {
    const entries = await fs.readdir(path.join(dir, sub), { withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isFile() && e.name.endsWith('.json')) out.push(sub ? `${sub}/${e.name}` : e.name);
  }
  return out.sort();
}

/** Differences between generated files and a catalog folder: one issue per changed, missing or extra file. */
export async function compareCatalog(dir: string, files: Record<string, string>, show: (p: string) => string = (p) => p): Promise<Issue[]> {
  const issues: Issue[] = [];
  const hint = 'Regenerate the catalog: csp schemas catalog (docs/schema-catalog.md), and commit it.';
  for (const [name, text] of Object.entries(files)) {
    const current = await fs.readFile(path.join(dir, name), 'utf8').catch(() => undefined);
    if (current === undefined) issues.push({ severity: 'error', code: 'CATALOG_STALE', message: `${show(path.join(dir, name))} is missing`, hint, location: { file: show(path.join(dir, name)) } });
    else if (current !== text) issues.push({ severity: 'error', code: 'CATALOG_STALE', message: `${show(path.join(dir, name))} differs from what its sources generate`, hint, location: { file: show(path.join(dir, name)) } });
  }
  for (const name of await existingFiles(dir)) {
    if (!(name in files)) issues.push({ severity: 'error', code: 'CATALOG_STALE', message: `${show(path.join(dir, name))} is not generated from the pinned sources`, hint, location: { file: show(path.join(dir, name)) } });
  }
  return issues;
}

/** Writes the generated files and removes catalog files no longer generated. Returns what changed. */
export async function writeCatalog(dir: string, files: Record<string, string>): Promise<{ written: string[]; removed: string[] }> {
  const written: string[] = [];
  const removed: string[] = [];
  for (const name of await existingFiles(dir)) {
    if (!(name in files)) {
      await fs.rm(path.join(dir, name));
      removed.push(name);
    }
  }
  for (const [name, text] of Object.entries(files)) {
    const target = path.join(dir, name);
    if ((await fs.readFile(target, 'utf8').catch(() => undefined)) === text) continue;
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, text);
    written.push(name);
  }
  return { written, removed };
}

/** Result of `csp schemas catalog`. */
export interface CatalogUpdate {
  out: string;
  origin?: CatalogOrigin;
  /** Files written (or, with `check`, found different), relative to `out`. */
  written: string[];
  removed: string[];
  bytes: number;
  issues: Issue[];
}

/**
 * Regenerates the catalog from the pinned sources found under `from`: writes it to `out`, or with `check` only
 * compares (each differing file is a CATALOG_STALE error). Nothing is written when a source is missing.
 */
export async function updateCatalog(input: { pins: CatalogPins; from: string[]; out: string; check?: boolean; dryRun?: boolean; show?: (p: string) => string }): Promise<CatalogUpdate> {
  const show = input.show ?? ((p: string) => p);
  const collected = await collectCatalogSources(input.pins, input.from, show);
  if (hasErrors(collected.issues)) return { out: input.out, written: [], removed: [], bytes: 0, issues: collected.issues };
  const { files, origin, issues } = generateCatalog(collected.sources);
  const all = [...collected.issues, ...issues];
  const bytes = Object.values(files).reduce((n, t) => n + Buffer.byteLength(t), 0);
  if (hasErrors(all)) return { out: input.out, origin, written: [], removed: [], bytes, issues: all };
  if (input.check || input.dryRun) {
    const stale = await compareCatalog(input.out, files, show);
    return { out: input.out, origin, written: [], removed: [], bytes, issues: [...all, ...(input.check ? stale : [])] };
  }
  return { out: input.out, origin, ...(await writeCatalog(input.out, files)), bytes, issues: all };
}
