/**
 * Executes a chart plan like `helm dependency build`, into a content-addressed cache: each archive is
 * checked against the repository's index.yaml digest (and a Chart.lock pin) before it is stored.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UpstreamError, UserInputError, type Issue } from '../core/errors.js';
import { expectOk, type Http } from '../core/http.js';
import { limits } from '../core/limits.js';
import type { Log } from '../core/log.js';
import { isSafeSegment, markOutputDir, unsafeSegmentIssue } from '../core/paths.js';
import { readArchiveEntry } from '../stack/index.js';
import { applyMirrors, type ChartRequest } from './plan.js';

export interface FetchChartsInput {
  requests: ChartRequest[];
  cacheDir: string;
  /** Repository URL rewrites, FROM → TO (e.g. an internal mirror, or a local repo in tests). */
  mirrors?: Record<string, string>;
  /**
   * Folders of chart archives (`*.tgz` as `helm package` writes them) to take charts from before any
   * repository: for air-gapped machines. Archives are matched by the name and version in their Chart.yaml;
   * a Chart.lock digest pin still applies.
   */
  localDirs?: string[];
  dryRun?: boolean;
}

export interface FetchedChart {
  name: string;
  version: string;
  repository: string;
  digest: string;
  /** What happened: downloaded now, already in the cache, or would be downloaded (dry run). */
  action: 'downloaded' | 'cached' | 'would-download' | 'imported' | 'would-import';
  path: string;
  bytes: number;
}

export interface FetchChartsResult {
  charts: FetchedChart[];
  issues: Issue[];
}

interface IndexEntry {
  name: string;
  version: string;
  digest?: string;
  urls?: string[];
}

/** Resolves every request; user problems (unknown chart/version, pin mismatch) come back as issues. */
export async function fetchCharts(input: FetchChartsInput, deps: { http: Http; log: Log }): Promise<FetchChartsResult> {
  const charts: FetchedChart[] = [];
  const issues: Issue[] = [];
  const indexes = new Map<string, Promise<Record<string, IndexEntry[]>>>();
  const local = await indexLocalDirs(input.localDirs ?? [], issues);
  // Local archives first: a repository that cannot be reached must not stop what is at hand.
  const isLocal = (r: ChartRequest) => local.has(`${r.name}@${r.version}`);
  const ordered = [...input.requests.filter(isLocal), ...input.requests.filter((r) => !isLocal(r))];
  for (const request of ordered) {
    if (!isSafeSegment(request.name) || !isSafeSegment(request.version)) {
      const bad = isSafeSegment(request.name) ? request.version : request.name;
      const issue = unsafeSegmentIssue(isSafeSegment(request.name) ? `version of ${request.name}` : 'chart name', bad, request.neededBy[0]?.location);
      issues.push({ ...issue, related: request.neededBy.slice(1).map((r) => r.location) });
      continue;
    }
    const archive = local.get(`${request.name}@${request.version}`);
    if (archive) {
      const bytes = await fs.readFile(archive);
      const digest = `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
      if (request.pinned && request.pinned !== digest) {
        issues.push(problem(request, 'CHART_PIN_MISMATCH', `Chart.lock pins ${request.name} ${request.version} to ${request.pinned}, but ${archive} has ${digest}`, 'The local archive is not the one the lock pins; take the archive from the repository the lock was made with.'));
        continue;
      }
      const stored = path.join(input.cacheDir, 'sha256', `${digest.slice(7)}.tgz`);
      if (!input.dryRun) {
        await writeAtomic(stored, bytes);
        await link(stored, path.join(input.cacheDir, 'by-name', request.name, `${request.version}.tgz`));
      }
      charts.push({ name: request.name, version: request.version, repository: request.repository, digest, action: input.dryRun ? 'would-import' : 'imported', path: stored, bytes: bytes.length });
      continue;
    }
    const repoUrl = applyMirrors(request.repository, input.mirrors ?? {});
    if (!/^https?:\/\//.test(repoUrl)) {
      issues.push(problem(request, 'CHART_REPO_UNSUPPORTED', `repository ${request.repository} is not an http(s) chart repository`, 'Use an https:// chart repository, or vendor the chart into charts/.'));
      continue;
    }
    let index = indexes.get(repoUrl);
    if (!index) {
      index = loadIndex(repoUrl, deps.http);
      indexes.set(repoUrl, index);
    }
    const entry = (await index)[request.name]?.find((e) => String(e.version) === request.version);
    if (!entry?.digest || !entry.urls?.[0]) {
      const known = ((await index)[request.name] ?? []).map((e) => String(e.version)).slice(0, 8);
      issues.push(
        problem(
          request,
          'CHART_VERSION_NOT_FOUND',
          `${request.name} ${request.version} is not in ${request.repository}index.yaml`,
          known.length ? `Versions there include: ${known.join(', ')}.` : `The repository has no chart named ${request.name}.`,
        ),
      );
      continue;
    }
    const digest = `sha256:${String(entry.digest).replace(/^sha256:/, '')}`;
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
      throw new UpstreamError('CHART_INDEX_INVALID', `${request.repository}index.yaml lists ${request.name} ${request.version} with a malformed digest`, {
        url: request.repository,
        details: 'A chart repository index gives each archive as a 64-hex-digit sha256 digest; this repository sent something else.',
      });
    }
    if (request.pinned && request.pinned !== digest) {
      issues.push(problem(request, 'CHART_PIN_MISMATCH', `Chart.lock pins ${request.name} ${request.version} to ${request.pinned}, the repository now lists ${digest}`, 'The upstream archive changed under the same version; review it, then update the pin in Chart.lock.'));
      continue;
    }
    const stored = path.join(input.cacheDir, 'sha256', `${digest.slice(7)}.tgz`);
    const byName = path.join(input.cacheDir, 'by-name', request.name, `${request.version}.tgz`);
    const have = await fs.stat(stored).catch(() => undefined);
    if (have) {
      await link(stored, byName);
      charts.push({ name: request.name, version: request.version, repository: request.repository, digest, action: 'cached', path: stored, bytes: have.size });
      continue;
    }
    const url = new URL(entry.urls[0], repoUrl).toString();
    if (input.dryRun) {
      charts.push({ name: request.name, version: request.version, repository: request.repository, digest, action: 'would-download', path: stored, bytes: 0 });
      continue;
    }
    const res = await expectOk(await deps.http.request({ url, maxBytes: limits().httpArchiveBytes }), `downloading ${request.name} ${request.version}`);
    const bytes = await res.bytes();
    const actual = `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
    if (actual !== digest) {
      throw new UpstreamError('CHART_DIGEST_MISMATCH', `${request.name} ${request.version} from ${url} has digest ${actual}, index.yaml says ${digest}`, {
        url,
        details: 'The repository served different bytes than its index lists; nothing was stored. Retry later or report it to the repository owner.',
      });
    }
    await writeAtomic(stored, bytes);
    await link(stored, byName);
    deps.log.info(`fetched ${request.name} ${request.version} (${bytes.length} bytes, ${digest.slice(0, 19)}…)`);
    charts.push({ name: request.name, version: request.version, repository: request.repository, digest, action: 'downloaded', path: stored, bytes: bytes.length });
  }
  return { charts, issues };
}

/**
 * `name@version` → archive path, read from the Chart.yaml inside every `*.tgz` of the folders. Each
 * archive is read whole by the strict reader (the one render uses), so an archive render would refuse
 * is never imported; every skipped archive becomes a warning that says why.
 */
async function indexLocalDirs(dirs: string[], issues: Issue[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const dir of dirs) {
    const names = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
      throw new UserInputError('CHART_DIR_UNREADABLE', `cannot read chart folder ${dir}: ${error.code ?? error.message}`, { details: 'Pass a folder that holds chart archives (*.tgz).' });
    });
    for (const name of names.filter((n) => n.endsWith('.tgz')).sort()) {
      const file = path.join(dir, name);
      const skip = (why: string): void => {
        issues.push({
          severity: 'warning',
          code: 'CHART_ARCHIVE_SKIPPED',
          message: `skipped ${file}: ${why}`,
          hint: 'Replace it with an archive made by helm package (or remove it); csp looks for the chart in its repository instead.',
          location: { file },
        });
      };
      let text: string | undefined;
      try {
        text = await readArchiveEntry(file, /^[^/]+\/Chart\.yaml$/);
      } catch (error) {
        skip(error instanceof UserInputError ? `${error.code} ${error.message.replace(`${file}: `, '')}` : (error as Error).message);
        continue;
      }
      if (text === undefined) {
        skip('it has no <chart>/Chart.yaml');
        continue;
      }
      type ChartHead = { name?: unknown; version?: unknown } | null;
      let chart: ChartHead;
      try {
        chart = parseYaml(text, { maxAliasCount: limits().yamlAliases }) as ChartHead;
      } catch (error) {
        skip(`its Chart.yaml cannot be read (${(error as Error).message.split('\n')[0]})`);
        continue;
      }
      if (typeof chart?.name !== 'string' || chart.version === undefined || !isSafeSegment(chart.name) || !isSafeSegment(String(chart.version))) {
        skip('its Chart.yaml has no usable name and version');
        continue;
      }
      const key = `${chart.name}@${String(chart.version)}`;
      if (!found.has(key)) found.set(key, file);
    }
  }
  return found;
}

async function loadIndex(repoUrl: string, http: Http): Promise<Record<string, IndexEntry[]>> {
  const url = new URL('index.yaml', repoUrl).toString();
  const res = await expectOk(await http.request({ url }), 'reading chart repository index');
  let doc: unknown;
  try {
    doc = parseYaml(await res.text());
  } catch (error) {
    throw new UpstreamError('CHART_INDEX_INVALID', `${url} is not valid YAML`, { url, cause: error });
  }
  const entries = (doc as { entries?: unknown } | null)?.entries;
  if (!entries || typeof entries !== 'object') {
    throw new UpstreamError('CHART_INDEX_INVALID', `${url} has no entries map`, { url, details: 'Is this URL a Helm chart repository?' });
  }
  return entries as Record<string, IndexEntry[]>;
}

function problem(request: ChartRequest, code: string, message: string, hint: string): Issue {
  const [first, ...rest] = request.neededBy;
  return { severity: 'error', code, message, hint, location: first?.location, related: rest.map((r) => r.location) };
}

async function writeAtomic(file: string, bytes: Uint8Array): Promise<void> {
  await markOutputDir(path.dirname(path.dirname(file)));
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, bytes);
  await fs.rename(tmp, file);
}

async function link(stored: string, byName: string): Promise<void> {
  await fs.mkdir(path.dirname(byName), { recursive: true });
  await fs.rm(byName, { force: true });
  await fs.copyFile(stored, byName);
}
