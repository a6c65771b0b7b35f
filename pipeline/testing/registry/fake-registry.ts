/**
 * An in-process OCI registry (node:http) for the paths docker-registry 2.8.2 lacks: the referrers API,
 * the `OCI-Subject` header and `Link`-paginated tag lists. Use the real registry for everything else.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRegistryOptions {
  /** Serve `GET /v2/<name>/referrers/<digest>` (default true). */
  referrersApi?: boolean;
  /** Answer manifest PUTs with a subject with `OCI-Subject` (default: same as referrersApi). */
  ociSubjectHeader?: boolean;
  /** Apply `?artifactType=` server-side and say so in `OCI-Filters-Applied` (default true). */
  filterArtifactType?: boolean;
  /** Largest referrers page; more entries continue through `Link` (default 100). */
  referrersPageSize?: number;
}

/** A running fake registry. */
export interface FakeRegistry {
  url: string;
  host: string;
  /** Requests seen, as "METHOD path". */
  requests: string[];
  /** Serves `bytes` for a blob digest in a repository (to test digest checks on download). */
  tamperBlob(repository: string, digest: string, bytes: Buffer): void;
  close(): Promise<void>;
}

interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
}

interface RepoState {
  blobs: Map<string, Buffer>;
  manifests: Map<string, StoredManifest>;
  tags: Map<string, string>;
  uploads: Map<string, Buffer[]>;
}

/** Starts the fake registry on 127.0.0.1. */
export async function startFakeRegistry(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const referrersApi = options.referrersApi ?? true;
  const subjectHeader = options.ociSubjectHeader ?? referrersApi;
  const repos = new Map<string, RepoState>();
  const requests: string[] = [];
  const repo = (name: string): RepoState => {
    let state = repos.get(name);
    if (!state) repos.set(name, (state = { blobs: new Map(), manifests: new Map(), tags: new Map(), uploads: new Map() }));
    return state;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      requests.push(`${method} ${url.pathname}${url.search}`);
      const body = Buffer.concat(chunks);
      const send = (status: number, headers: Record<string, string | number> = {}, payload?: Buffer | string): void => {
        res.writeHead(status, headers).end(method === 'HEAD' ? undefined : payload);
      };
      const error = (status: number, code: string): void => send(status, { 'content-type': 'application/json' }, JSON.stringify({ errors: [{ code, message: code.toLowerCase() }] }));
      if (url.pathname === '/v2/' || url.pathname === '/v2') return send(200, {}, '{}');
      const m = /^\/v2\/(.+?)\/(blobs\/uploads\/?(.*)|blobs\/(.+)|manifests\/(.+)|tags\/list|referrers\/(.+))$/.exec(url.pathname);
      if (!m) return send(404, { 'content-type': 'text/plain' }, '404 page not found');
      const name = m[1]!;
      const state = repo(name);
      if (m[2]!.startsWith('blobs/uploads')) {
        const id = m[3] ?? '';
        if (method === 'POST' && !id) {
          const uuid = crypto.randomUUID();
          state.uploads.set(uuid, []);
          return send(202, { location: `/v2/${name}/blobs/uploads/${uuid}`, range: '0-0' });
        }
        const parts = state.uploads.get(id);
        if (!parts) return error(404, 'BLOB_UPLOAD_UNKNOWN');
        if (method === 'PATCH') {
          parts.push(body);
          const size = parts.reduce((n, p) => n + p.length, 0);
          return send(202, { location: `/v2/${name}/blobs/uploads/${id}`, range: `0-${size - 1}` });
        }
        if (method === 'PUT') {
          parts.push(body);
          const all = Buffer.concat(parts);
          const digest = url.searchParams.get('digest') ?? '';
          if (sha(all) !== digest) return error(400, 'DIGEST_INVALID');
          state.uploads.delete(id);
          state.blobs.set(digest, all);
          return send(201, { location: `/v2/${name}/blobs/${digest}`, 'docker-content-digest': digest });
        }
        if (method === 'DELETE') {
          state.uploads.delete(id);
          return send(204);
        }
        return error(405, 'UNSUPPORTED');
      }
      if (m[4]) {
        const blob = state.blobs.get(m[4]);
        if (!blob) return error(404, 'BLOB_UNKNOWN');
        return send(200, { 'content-length': blob.length, 'docker-content-digest': m[4], 'content-type': 'application/octet-stream' }, blob);
      }
      if (m[5]) {
        const ref = m[5];
        if (method === 'PUT') {
          const mediaType = req.headers['content-type'] ?? '';
          const digest = sha(body);
          state.manifests.set(digest, { bytes: body, mediaType });
          if (!ref.startsWith('sha256:')) state.tags.set(ref, digest);
          const parsed = JSON.parse(body.toString('utf8')) as { subject?: { digest?: string } };
          const headers: Record<string, string> = { location: `/v2/${name}/manifests/${digest}`, 'docker-content-digest': digest };
          if (subjectHeader && parsed.subject?.digest) headers['oci-subject'] = parsed.subject.digest;
          return send(201, headers);
        }
        const digest = ref.startsWith('sha256:') ? ref : state.tags.get(ref);
        const stored = digest ? state.manifests.get(digest) : undefined;
        if (!digest || !stored) return error(404, 'MANIFEST_UNKNOWN');
        if (method === 'DELETE') {
          state.manifests.delete(digest);
          for (const [tag, d] of state.tags) if (d === digest) state.tags.delete(tag);
          return send(202);
        }
        return send(200, { 'content-type': stored.mediaType, 'content-length': stored.bytes.length, 'docker-content-digest': digest }, stored.bytes);
      }
      if (m[2] === 'tags/list') {
        const all = [...state.tags.keys()].sort();
        const last = url.searchParams.get('last');
        const n = Number(url.searchParams.get('n') ?? all.length);
        const from = last ? all.filter((t) => t > last) : all;
        const page = from.slice(0, n);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (page.length < from.length) headers.link = `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(page[page.length - 1]!)}>; rel="next"`;
        return send(200, headers, JSON.stringify({ name, tags: page }));
      }
      if (!referrersApi) return send(404, { 'content-type': 'text/plain' }, '404 page not found');
      return serveReferrers(state, m[6]!, url, options, send);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    tamperBlob: (repository, digest, bytes) => void repo(repository).blobs.set(digest, bytes),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function serveReferrers(state: RepoState, subject: string, url: URL, options: FakeRegistryOptions, send: (s: number, h?: Record<string, string>, p?: string) => void): void {
  const type = url.searchParams.get('artifactType');
  const filter = type !== null && (options.filterArtifactType ?? true);
  const all: object[] = [];
  for (const [digest, stored] of state.manifests) {
    const m = JSON.parse(stored.bytes.toString('utf8')) as { subject?: { digest?: string }; artifactType?: string; config?: { mediaType?: string }; annotations?: Record<string, string> };
    if (m.subject?.digest !== subject) continue;
    const artifactType = m.artifactType ?? m.config?.mediaType;
    if (filter && artifactType !== type) continue;
    all.push({ mediaType: stored.mediaType, digest, size: stored.bytes.length, artifactType, ...(m.annotations ? { annotations: m.annotations } : {}) });
  }
  const pageSize = options.referrersPageSize ?? 100;
  const start = Number(url.searchParams.get('page') ?? 0);
  const headers: Record<string, string> = { 'content-type': 'application/vnd.oci.image.index.v1+json' };
  if (filter) headers['oci-filters-applied'] = 'artifactType';
  if (start + pageSize < all.length) {
    const next = new URLSearchParams(url.searchParams);
    next.set('page', String(start + pageSize));
    headers.link = `<${url.pathname}?${next.toString()}>; rel="next"`;
  }
  send(200, headers, JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: all.slice(start, start + pageSize) }));
}

function sha(bytes: Buffer): string {
  return `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
}
