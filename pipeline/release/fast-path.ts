/**
 * The no-op fast path of planning: a stack folder whose bytes hash (as csctl hashes a folder) to the `input.hash`
 * of the latest release of every target it lists has nothing to release, so it is neither loaded nor rendered.
 * Any doubt (a link, a missing or superseded record, custom mode) falls back to the full plan.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { isOutputDir } from '../core/paths.js';
import { LARGE_FILE_BYTES, storeFile, type FileBytes } from '../core/stored-file.js';
import { latestInLine, type LedgerIndex, type ReleaseRecord } from '../ledger/index.js';
import { matchesKubernetes } from '../stack/index.js';
import { byteOrder, cleanHash, hash1 } from '../version/index.js';
import type { VersionMode } from '../version/index.js';
import { parseReleaseName, formatClusterClassName } from '../version/index.js';
import type { TargetPlan } from './types.js';

/** A stack folder as read from disk: every regular file by relative path, and csctl's hash of the folder. */
export interface RawStack {
  /** Large files stay on disk (StoredFile: path, size, SHA-256). */
  files: Map<string, FileBytes>;
  hash: string;
  /** False when the folder holds links or special files (the full plan reports them). */
  plain: boolean;
}

/**
 * Reads and hashes every file below `dir` once (the bytes are reused by the full plan). Synchronous on purpose:
 * for thousands of small files it is several times faster than promise-per-file reads.
 */
export async function readRawStack(dir: string): Promise<RawStack> {
  const files = new Map<string, FileBytes>();
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return { files, hash: '', plain: false };
  }
  let plain = true;
  const rels: string[] = [];
  // csp's own output folders (out/, .csp-cache/, releases/ when run inside the stack) are not stack input.
  const skipped = entries.filter((e) => e.isDirectory() && isOutputDir(path.join(e.parentPath, e.name))).map((e) => path.join(e.parentPath, e.name) + path.sep);
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    if (skipped.some((prefix) => entry.parentPath.concat(path.sep).startsWith(prefix))) continue;
    if (!entry.isFile()) plain = false;
    else rels.push(path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  }
  rels.sort(byteOrder);
  const digests = rels.map((rel) => {
    const abs = path.join(dir, rel);
    // One open per file as before (the no-op plan reads thousands): its fstat decides whether to read it whole.
    const fd = openSync(abs, 'r');
    let data: Buffer;
    try {
      if (fstatSync(fd).size >= LARGE_FILE_BYTES) {
        const stored = storeFile(abs);
        files.set(rel, stored);
        return { path: rel, sha256: stored.sha256 };
      }
      data = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
    files.set(rel, data);
    return { path: rel, sha256: createHash('sha256').update(data).digest('hex') };
  });
  return { files, hash: plain ? cleanHash(hash1(digests)) : '', plain };
}

/** Records by input hash, for the fast path. */
export function indexByInput(records: Map<string, ReleaseRecord>): Map<string, ReleaseRecord[]> {
  const out = new Map<string, ReleaseRecord[]>();
  for (const record of records.values()) {
    if (!record.input) continue;
    out.set(record.input.hash, [...(out.get(record.input.hash) ?? []), record]);
  }
  return out;
}

export interface FastPathInput {
  raw: RawStack;
  stackDir: string;
  display: string;
  mode: VersionMode;
  k8s?: string;
  index: LedgerIndex;
  byInput: Map<string, ReleaseRecord[]>;
}

/** Plans for an unchanged stack straight from the ledger, or undefined when the full plan must decide. */
export function unchangedFromLedger(input: FastPathInput): TargetPlan[] | undefined {
  if (!input.raw.plain || input.mode === 'custom') return undefined;
  const channel = input.mode === 'stable' ? 'stable' : 'sha';
  const candidates = (input.byInput.get(input.raw.hash) ?? []).filter((r) => r.channel === channel && r.mode === input.mode);
  const first = candidates[0];
  if (!first?.input) return undefined;
  const targets = first.input.targets.filter((t) => {
    const [major = NaN, minor = NaN] = t.split('.').map(Number);
    return matchesKubernetes({ major, minor, version: t }, input.k8s);
  });
  if (targets.length === 0) return undefined;
  const plans: TargetPlan[] = [];
  for (const version of targets) {
    const record = candidates.find((r) => r.kubernetesVersion === `v${version}`);
    const parsed = record && parseReleaseName(record.name);
    if (!record || !parsed) return undefined;
    if (channel === 'stable') {
      const latest = latestInLine(input.index, { provider: record.provider, stack: record.stack, major: parsed.kubernetes.major, minor: parsed.kubernetes.minor, channel });
      if (latest?.name !== record.name) return undefined;
    }
    const why = `unchanged: the stack folder hashes to ${input.raw.hash}, as when ${record.name} was built`;
    plans.push({
      stack: input.display,
      stackDir: input.stackDir,
      provider: record.provider,
      name: record.stack,
      kubernetesVersion: version,
      minor: `${parsed.kubernetes.major}.${parsed.kubernetes.minor}`,
      channel,
      mode: input.mode,
      action: 'none',
      releaseName: record.name,
      clusterClassName: formatClusterClassName(parsed),
      versions: record.versions,
      why: { clusterStack: why, clusterAddon: why, nodeImage: why },
      hashes: { clusterAddonValues: '', clusterClassDir: '', nodeImageDir: '', ...record.hashes },
      hashChanges: [],
      previous: { name: record.name, versions: record.versions, record: path.join(input.index.dir, `${record.name}.yaml`) },
      changedFiles: {},
      unchanged: ['clusterClass', 'clusterAddon', 'nodeImage', 'stack'],
      charts: [],
      input: record.input ?? { hash: input.raw.hash, targets: [] },
      issues: [{ severity: 'note', code: 'PLAN_NOTHING_TO_RELEASE', message: `nothing changed since ${record.name}` }],
    });
  }
  return plans;
}
