/**
 * The previous release of a line from a remote source, for when releases/ has none ("found in releases/ first,
 * else in the OCI target or GitHub"): list OCI tags or GitHub release names, pick the latest by CSO's ordering
 * and read that release's metadata.yaml and hashes.json, as csctl's stable mode does (release-format.md §14).
 */
import { PipelineError, UpstreamError, UserInputError } from '../core/errors.js';
import type { ReleaseLine } from '../ledger/index.js';
import type { PreviousFinder } from '../release/index.js';
import type { GithubReleaseInfo } from './github/index.js';
import { parseReference } from './oci/reference.js';
import { openRepository, type Repository } from './oci/repository.js';
import type { PublishDeps } from './types.js';
import type { StackHashes } from '../version/index.js';
import type { ComponentVersions, PreviousRelease } from '../version/index.js';
import { formatReleasePrefix, parseReleaseName } from '../version/index.js';
import { compareVersions, formatVersion } from '../version/index.js';

/** Where else to look for earlier releases: an OCI repository or a GitHub repository's releases. */
export type PreviousSource = { kind: 'oci'; registry: string; repository: string } | { kind: 'github'; owner: string; repo: string };

/** Effects of a remote lookup (built once in cli/): registry access as for publishing, plus GitHub's. */
export type PreviousDeps = Pick<PublishDeps, 'http' | 'log' | 'credentialsFor' | 'dockerConfig' | 'registryOptions'> & {
  github?: { token?: string; baseUrl?: string; retryBaseMs?: number };
};

/** Only metadata.yaml and hashes.json are read; anything bigger than this is not one of them. */
const MAX_FILE_BYTES = 1024 * 1024;

/** Parses `oci://HOST[:PORT]/REPO` or `github:OWNER/REPO` (the `--previous-from` forms). */
export function parsePreviousSource(text: string): PreviousSource {
  const bad = (why: string): never => {
    throw new UserInputError('PREVIOUS_SOURCE_INVALID', `--previous-from ${text}: ${why}`, {
      details: 'Write oci://HOST[:PORT]/REPO (a repository, no tag) or github:OWNER/REPO.',
    });
  };
  if (text.startsWith('oci://')) {
    const ref = parseReference(text);
    if (ref.tag !== undefined || ref.digest !== undefined) return bad('name the repository, not a tag or digest');
    return { kind: 'oci', registry: ref.registry, repository: ref.repository };
  }
  const gh = /^github:([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(text);
  if (gh?.[1] && gh[2]) return { kind: 'github', owner: gh[1], repo: gh[2] };
  return bad('not an OCI repository or GitHub repository');
}

/** How a source is written on the command line. */
export function formatPreviousSource(source: PreviousSource): string {
  return source.kind === 'oci' ? `oci://${source.registry}/${source.repository}` : `github:${source.owner}/${source.repo}`;
}

/**
 * The release to compare with: `exactName` when the source has it (hash and custom modes), else the latest of
 * the line by CSO's ordering. Names CSO cannot parse are skipped, as CSO does (csctl would abort).
 */
export function latestReleaseName(names: readonly string[], line: ReleaseLine, exactName?: string): string | undefined {
  if (exactName && names.includes(exactName)) return exactName;
  let best: { name: string; version: NonNullable<ReturnType<typeof parseReleaseName>>['version'] } | undefined;
  for (const name of names) {
    const p = parseReleaseName(name);
    if (!p || p.provider !== line.provider || p.name !== line.stack || p.kubernetes.major !== line.major || p.kubernetes.minor !== line.minor) continue;
    if (p.version.channel !== line.channel) continue;
    if (!best || compareVersions(p.version, best.version) === 1) best = { name, version: p.version };
  }
  return best?.name;
}

const hashKeys: (keyof StackHashes)[] = ['clusterStack', 'clusterAddonDir', 'clusterAddonValues', 'clusterClassDir', 'nodeImageDir'];

/** Versions from metadata.yaml and hashes from hashes.json (absent in very old releases: nothing to compare). */
export async function previousFromFiles(name: string, where: string, metadata: Uint8Array, hashes: Uint8Array | undefined): Promise<PreviousRelease> {
  const invalid = (why: string): never => {
    throw new UpstreamError('PREVIOUS_INVALID', `previous release ${name} in ${where}: ${why}`, {
      url: where,
      details: 'The release does not look like one CSO accepts (release-format.md §6, §10); fix or remove it, or record the previous release in releases/.',
    });
  };
  // yaml loads with the first previous release read, not with the stage (csp publish never reads one).
  const { parse: parseYaml } = await import('yaml');
  let meta: unknown;
  try {
    meta = parseYaml(new TextDecoder().decode(metadata));
  } catch (error) {
    return invalid(`metadata.yaml is not YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const versions = (meta as { versions?: { clusterStack?: unknown; components?: { clusterAddon?: unknown; nodeImage?: unknown } } } | null)?.versions;
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const parsedName = parseReleaseName(name);
  const clusterStack = text(versions?.clusterStack) ?? (parsedName && formatVersion(parsedName.version, 'dot'));
  const clusterAddon = text(versions?.components?.clusterAddon);
  if (!clusterStack || !clusterAddon) return invalid('metadata.yaml lacks versions.clusterStack or versions.components.clusterAddon');
  const result: ComponentVersions = { clusterStack, clusterAddon, nodeImage: text(versions?.components?.nodeImage) ?? '' };
  const out: Partial<StackHashes> = {};
  if (hashes) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(hashes));
    } catch {
      return invalid('hashes.json is not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return invalid('hashes.json is not a JSON object');
    for (const key of hashKeys) {
      const v = (parsed as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (typeof v !== 'string') return invalid(`hashes.json ${key} is not a string`);
      out[key] = v;
    }
  }
  return { versions: result, hashes: out };
}

/** One source: its release names, and the two files of one release. */
interface Remote {
  display: string;
  names(): Promise<string[]>;
  read(name: string): Promise<{ metadata?: Uint8Array; hashes?: Uint8Array; at: string }>;
}

type ManifestLayers = { layers?: { digest?: unknown; size?: unknown; annotations?: Record<string, string> }[] } | null;

function parseManifest(bytes: Uint8Array): ManifestLayers {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as ManifestLayers;
  } catch {
    return null;
  }
}

function ociRemote(source: Extract<PreviousSource, { kind: 'oci' }>, deps: PreviousDeps): Remote {
  const display = formatPreviousSource(source);
  let repo: Promise<Repository> | undefined;
  let tags: Promise<string[]> | undefined;
  const open = (): Promise<Repository> =>
    (repo ??= openRepository(
      { registry: source.registry, repository: source.repository },
      { http: deps.http, log: deps.log, credentials: deps.credentialsFor?.(source.registry), dockerConfig: deps.dockerConfig, ...deps.registryOptions },
    ));
  return {
    display,
    names: () => (tags ??= open().then((r) => r.listTags())),
    async read(name) {
      const r = await open();
      const at = `${display}:${name}`;
      const fetched = await r.getManifest(name);
      if (!fetched) throw new UpstreamError('PREVIOUS_INVALID', `previous release ${at} is listed but its manifest is missing`, { url: at, details: 'The registry lists a tag it cannot serve; retry, or fix the repository.' });
      const manifest = parseManifest(fetched.bytes);
      if (!Array.isArray(manifest?.layers)) throw new UpstreamError('PREVIOUS_INVALID', `previous release ${at} is not an image manifest with layers`, { url: at, details: 'Cluster-stack releases are one image manifest with a layer per file (release-format.md §13.2).' });
      const file = async (title: string): Promise<Uint8Array | undefined> => {
        const layers = (manifest?.layers ?? []).filter((l) => l.annotations?.['org.opencontainers.image.title'] === title);
        if (layers.length > 1) throw new UpstreamError('PREVIOUS_INVALID', `previous release ${at} has ${layers.length} layers titled ${title}`, { url: at, details: 'CSO refuses duplicate titles too; fix the release.' });
        const layer = layers[0];
        if (!layer) return undefined;
        if (typeof layer.digest !== 'string' || typeof layer.size !== 'number' || layer.size > MAX_FILE_BYTES) {
          throw new UpstreamError('PREVIOUS_INVALID', `previous release ${at}: layer ${title} has no digest or is over ${MAX_FILE_BYTES} bytes`, { url: at, details: 'metadata.yaml and hashes.json are small files; fix the release.' });
        }
        return r.getBlob(layer.digest);
      };
      return { metadata: await file('metadata.yaml'), hashes: await file('hashes.json'), at };
    },
  };
}

function githubRemote(source: Extract<PreviousSource, { kind: 'github' }>, deps: PreviousDeps): Remote {
  const display = formatPreviousSource(source);
  const conn = { owner: source.owner, repo: source.repo, log: deps.log, ...deps.github };
  let releases: Promise<Map<string, GithubReleaseInfo>> | undefined;
  // CSO lists releases by name (release-format.md §13.1); published ones only.
  const list = (): Promise<Map<string, GithubReleaseInfo>> => (releases ??= import('./github/lookup.js').then(({ listGithubReleases }) => listGithubReleases(conn)).then((all) => new Map(all.map((r) => [r.name ?? r.tag, r]))));
  return {
    display,
    names: async () => [...(await list()).keys()],
    async read(name) {
      const release = (await list()).get(name);
      const at = `${display}@${name}`;
      const file = async (asset: string): Promise<Uint8Array | undefined> => {
        const found = release?.assets.find((a) => a.name === asset);
        if (!found) return undefined;
        if (found.size > MAX_FILE_BYTES) throw new UpstreamError('PREVIOUS_INVALID', `previous release ${at}: ${asset} is over ${MAX_FILE_BYTES} bytes`, { url: at, details: 'metadata.yaml and hashes.json are small files; fix the release.' });
        const { readGithubReleaseAsset } = await import('./github/lookup.js');
        return readGithubReleaseAsset({ ...conn, assetId: found.id, name: asset });
      };
      return { metadata: await file('metadata.yaml'), hashes: await file('hashes.json'), at };
    },
  };
}

/** Says which source and line failed; a failing source stops the plan rather than silently restarting at v1. */
async function guarded<T>(remote: Remote, line: ReleaseLine, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof PipelineError) || error.code.startsWith('PREVIOUS_')) throw error;
    const message = `cannot look up the previous release of ${formatReleasePrefix(line.provider, line.stack, line)} in ${remote.display}: ${error.message}`;
    if (error instanceof UpstreamError) {
      throw new UpstreamError('PREVIOUS_UNREACHABLE', message, {
        url: error.url,
        status: error.status,
        retriable: error.retriable,
        cause: error,
        details: `${error.details ? `${error.details} ` : ''}Stable versions follow the previous release, so csp stops rather than guess; fix the source or drop --previous-from ${remote.display}.`,
      });
    }
    if (error instanceof UserInputError) throw new UserInputError(error.code, message, { cause: error, details: error.details });
    throw error;
  }
}

/** A finder over `sources` (tried in order; the first with a release of the line wins); listings are read once per source and run. */
export function createPreviousFinder(sources: readonly PreviousSource[], deps: PreviousDeps): PreviousFinder {
  const opened = sources.map((s) => (s.kind === 'oci' ? ociRemote(s, deps) : githubRemote(s, deps)));
  return {
    async find(line, exactName) {
      for (const remote of opened) {
        const found = await guarded(remote, line, async () => {
          const name = latestReleaseName(await remote.names(), line, exactName);
          if (!name) return undefined;
          const files = await remote.read(name);
          if (!files.metadata) {
            throw new UpstreamError('PREVIOUS_INVALID', `previous release ${files.at} has no metadata.yaml`, { url: files.at, details: 'CSO needs metadata.yaml in every release (release-format.md §5); fix the release or record the previous release in releases/.' });
          }
          return { name, source: files.at, previous: await previousFromFiles(name, files.at, files.metadata, files.hashes) };
        });
        if (found) {
          deps.log.debug(`previous release of ${formatReleasePrefix(line.provider, line.stack, line)}: ${found.source}`);
          return found;
        }
      }
      return undefined;
    },
    async lacking(name) {
      const missing: string[] = [];
      for (const remote of opened) {
        const parsed = parseReleaseName(name);
        const line = { provider: parsed?.provider ?? '', stack: parsed?.name ?? name, major: parsed?.kubernetes.major ?? 0, minor: parsed?.kubernetes.minor ?? 0, channel: parsed?.version.channel ?? '' };
        const names = await guarded(remote, line, () => remote.names());
        if (!names.includes(name)) missing.push(remote.display);
      }
      return missing;
    },
  };
}
