/**
 * The release ledger: one `releases/<release-name>.yaml` per bundle. Finds the latest previous release of a
 * (provider, stack, Kubernetes minor, channel) by CSO's ordering and writes records atomically after a
 * schema check. OCI tag lists and GitHub releases are later sources behind the same `findPrevious` question.
 */
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError, ValidationFailed, type Issue } from '../core/errors.js';
import { markOutputDir } from '../core/paths.js';
import { checkSchema, checkValue } from '../core/schema.js';
import { parseYamlSource, readYamlFile } from '../core/source.js';
import { parseReleaseName, type ReleaseName } from '../version/index.js';
import { compareVersions } from '../version/index.js';
import { orderRecord, type E2eGateRecord, type PublishedRef, type ReleaseRecord, type SignatureRef } from './record.js';

/** The ledger folder's release names, read once per run. */
export interface LedgerIndex {
  dir: string;
  entries: { file: string; name: string; parsed: ReleaseName }[];
  /** Files whose names CSO could not parse (skipped, as CSO does; csctl would abort). */
  issues: Issue[];
}

/** Which release line to look in. */
export interface ReleaseLine {
  provider: string;
  stack: string;
  major: number;
  minor: number;
  channel: string;
}

/** Path of a release's record. */
export function recordPath(dir: string, releaseName: string): string {
  return path.join(dir, `${releaseName}.yaml`);
}

/** Lists the ledger; a missing folder is an empty ledger. */
export async function loadLedgerIndex(dir: string): Promise<LedgerIndex> {
  const names = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const index: LedgerIndex = { dir, entries: [], issues: [] };
  for (const file of names.filter((n) => n.endsWith('.yaml')).sort()) {
    const name = file.slice(0, -'.yaml'.length);
    const parsed = parseReleaseName(name);
    if (parsed) index.entries.push({ file: path.join(dir, file), name, parsed });
    else {
      index.issues.push({
        severity: 'warning',
        code: 'LEDGER_NAME_UNPARSABLE',
        message: `${path.join(dir, file)} is not named <release-name>.yaml with a name CSO can parse; skipped`,
        hint: 'Rename it to the release name in dash form (e.g. docker-scs-1-32-v2.yaml) or remove it.',
        location: { file: path.join(dir, file) },
      });
    }
  }
  return index;
}

/** The latest entry of one release line by CSO's ordering (major, then patch as a plain string). */
export function latestInLine(index: LedgerIndex, line: ReleaseLine): LedgerIndex['entries'][number] | undefined {
  let best: LedgerIndex['entries'][number] | undefined;
  for (const entry of index.entries) {
    const p = entry.parsed;
    if (p.provider !== line.provider || p.name !== line.stack || p.kubernetes.major !== line.major || p.kubernetes.minor !== line.minor) continue;
    if (p.version.channel !== line.channel) continue;
    if (!best || compareVersions(p.version, best.parsed.version) === 1) best = entry;
  }
  return best;
}

/**
 * Reads and schema-checks one record; problems come back positioned. csp writes records as JSON, which is
 * YAML 1.2, so they parse at JSON speed; hand-edited YAML records are read by the YAML path.
 */
export async function readRecord(file: string): Promise<{ record?: ReleaseRecord; issues: Issue[] }> {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8'); // sync: the ledger is many small files, read in one go
  } catch {
    text = undefined;
  }
  if (text?.startsWith('{')) {
    try {
      const value = JSON.parse(text) as ReleaseRecord;
      if (checkValue('release.schema.json', value).length === 0 && value.name === path.basename(file, '.yaml')) return { record: value, issues: [] };
    } catch {
      // not plain JSON after all: the YAML reader below reports the problem with its position
    }
  }
  const { source, issues } = await readYamlFile(file);
  if (!source) return { issues };
  const schemaIssues = checkSchema(source, 'release.schema.json');
  if (schemaIssues.length > 0) return { issues: [...issues, ...schemaIssues] };
  const record = source.value as ReleaseRecord;
  const expected = path.basename(file, '.yaml');
  if (record.name !== expected) {
    return {
      issues: [
        ...issues,
        { severity: 'error', code: 'LEDGER_NAME_MISMATCH', message: `${file} records release ${record.name}`, hint: `The file must be named after the release it records: ${record.name}.yaml.`, location: { file } },
      ],
    };
  }
  return { record, issues };
}

/** Reads a record and throws ValidationFailed when it is broken (the ledger decides versions: never guess). */
export async function readRecordOrThrow(file: string): Promise<ReleaseRecord> {
  const { record, issues } = await readRecord(file);
  if (!record) throw new ValidationFailed(issues, `release record ${file} is unusable`);
  return record;
}

/** The bytes csp writes for a record: two-space JSON (valid YAML 1.2) with keys in a fixed order. */
export function serializeRecord(record: ReleaseRecord): string {
  return `${JSON.stringify(orderRecord(record), null, 2)}\n`;
}

/** Every readable record of the ledger, keyed by release name (unreadable ones are skipped with an issue). */
export async function readAllRecords(index: LedgerIndex): Promise<Map<string, ReleaseRecord>> {
  const out = new Map<string, ReleaseRecord>();
  for (const entry of index.entries) {
    const { record, issues } = await readRecord(entry.file);
    if (record) out.set(entry.name, record);
    else index.issues.push(...issues.map((i) => ({ ...i, severity: 'warning' as const })));
  }
  return out;
}

/** Writes a record (temp file + rename). Same bytes: no-op; different record under the name: refused unless `force`. */
export async function writeRecord(dir: string, record: ReleaseRecord, options: { force?: boolean; dryRun?: boolean } = {}): Promise<'added' | 'unchanged' | 'replaced'> {
  const text = serializeRecord(record);
  const { source } = parseYamlSource(`${record.name}.yaml`, text);
  const problems = source ? checkSchema(source, 'release.schema.json') : [];
  if (problems.length > 0) throw new ValidationFailed(problems, `release record ${record.name} does not match schemas/release.schema.json`);
  const file = recordPath(dir, record.name);
  const existing = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (existing === text) return 'unchanged';
  if (existing !== undefined && !options.force) {
    throw new UserInputError('LEDGER_RECORD_EXISTS', `${file} already records a different ${record.name}`, {
      details: 'A release name must never change content. Bump the version, or pass --force if this release was never published.',
      location: { file },
    });
  }
  if (options.dryRun) return existing === undefined ? 'added' : 'replaced';
  await markOutputDir(dir, { onlyIfNew: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
  return existing === undefined ? 'added' : 'replaced';
}

/**
 * How a new record relates to the one stored under its name: `absent`, `same` (same bundle: manifest digest and
 * files equal, even if publish has since added refs) or `different` (another bundle under a taken name).
 */
export async function compareRecord(dir: string, record: ReleaseRecord): Promise<'absent' | 'same' | 'different'> {
  const file = recordPath(dir, record.name);
  const exists = await fs.stat(file).then(() => true, () => false);
  if (!exists) return 'absent';
  const { record: stored } = await readRecord(file);
  if (!stored) return 'different';
  const key = (r: ReleaseRecord): string => JSON.stringify([r.manifestDigest, r.versions, r.files.map((f) => [f.name, f.digest])]);
  return key(stored) === key(record) ? 'same' : 'different';
}

/**
 * Adds where a bundle was published and how it was signed to its record (publish calls this). Refs already
 * present (same target and ref, or same kind and ref) are kept once; the bundle part of the record is untouched.
 * `current` is the record as the caller just read (or made) it; without it the file is read.
 */
export async function addPublication(
  dir: string,
  releaseName: string,
  add: { published?: PublishedRef[]; signatures?: SignatureRef[]; e2e?: E2eGateRecord },
  current?: ReleaseRecord,
): Promise<ReleaseRecord> {
  const record = current ?? (await readRecordOrThrow(recordPath(dir, releaseName)));
  const published = [...(record.published ?? [])];
  for (const p of add.published ?? []) if (!published.some((q) => q.target === p.target && q.ref === p.ref)) published.push(p);
  const signatures = [...(record.signatures ?? [])];
  for (const s of add.signatures ?? []) if (!signatures.some((q) => q.kind === s.kind && q.ref === s.ref)) signatures.push(s);
  const next: ReleaseRecord = { ...record, ...(published.length ? { published } : {}), ...(signatures.length ? { signatures } : {}), ...(add.e2e ? { e2e: add.e2e } : {}) };
  await writeRecord(dir, next, { force: true });
  return next;
}
