/**
 * A local fake of api.github.com and uploads.github.com (two node:http servers on 127.0.0.1) for the
 * release flow. Every request is checked against the OpenAPI spec before it is handled; violations are
 * answered 422 and collected in `violations`, so a test that ends with a non-empty list has found a bug.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { downloadToken, handlerFor, type HandlerResult } from './handlers.js';
import { checkRequest, checkResponse, type MatchedOperation } from './openapi.js';
import { FakeStore, type FakeAsset, type FakeUrls } from './state.js';

/**
 * A fault for a matching request: answer `status` without handling it; `drop` cuts the connection before
 * handling; `drop-after` handles it (state changes) and then cuts the connection; `partial-upload` stores
 * an `open` asset with half the bytes and answers 502 (GitHub's "starter" asset); `before` runs a callback
 * on the store first and then handles the request (another actor changing GitHub in between).
 */
export type FakeFaultAction =
  | { kind: 'status'; status: number; message?: string; retryAfter?: string; rateLimitRemaining?: number }
  | { kind: 'drop' }
  | { kind: 'drop-after' }
  | { kind: 'partial-upload' }
  | { kind: 'before'; run: (store: FakeStore) => void };

/** Injects `action` into the `nth` (1-based, default 1) request matching the operation and method. */
export interface FakeFaultRule {
  operationId?: string;
  method?: string;
  nth?: number;
  /** Consecutive matches from `nth` on that get the fault (default 1). */
  times?: number;
  action: FakeFaultAction;
}

/** One request as the fake saw it (the token itself is never recorded). */
export interface LoggedRequest {
  host: 'api' | 'uploads' | 'objects';
  method: string;
  path: string;
  query: string;
  operationId?: string;
  /** An Authorization header was present. */
  authorization: boolean;
  status: number | 'dropped';
  fault?: FakeFaultAction['kind'];
  violations: string[];
}

export interface FakeGithubOptions {
  /** The token that grants push access; requests with another token get 401. */
  token: string;
  /** Repositories that exist, `owner/repo` (default `acme/stacks`). */
  repos?: string[];
  /** Fill the asset `digest` field (default true; false models assets uploaded before June 2025). */
  assetDigests?: boolean;
  /** Repository setting "immutable releases" (default false). */
  immutableReleases?: boolean;
  faults?: FakeFaultRule[];
}

/** A running fake. */
export interface FakeGithub {
  /** Base URL for Octokit (`baseUrl`). */
  apiUrl: string;
  uploadsUrl: string;
  store: FakeStore;
  requests: LoggedRequest[];
  /** Spec violations in requests (and in the fake's own responses). Tests expect this to stay empty. */
  violations: string[];
  /** Replaces the fault rules and resets their counters. */
  setFaults(rules: FakeFaultRule[]): void;
  close(): Promise<void>;
}

/** Starts the fake API and uploads hosts on 127.0.0.1 (free ports). */
export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  const store = new FakeStore(new Set((options.repos ?? ['acme/stacks']).map((r) => r.toLowerCase())), {
    assetDigests: options.assetDigests ?? true,
    immutableReleases: options.immutableReleases ?? false,
  });
  const requests: LoggedRequest[] = [];
  const violations: string[] = [];
  const downloads = new Map<string, FakeAsset>();
  let rules = options.faults ?? [];
  let counts = rules.map(() => 0);
  let remaining = 5000;
  const urls: FakeUrls = { api: '', uploads: '' };

  function pickFault(operationId: string | undefined, method: string): FakeFaultAction | undefined {
    let chosen: FakeFaultAction | undefined;
    rules.forEach((rule, i) => {
      if (rule.operationId && rule.operationId !== operationId) return;
      if (rule.method && rule.method !== method) return;
      counts[i] = counts[i]! + 1;
      const nth = rule.nth ?? 1;
      if (!chosen && counts[i]! >= nth && counts[i]! < nth + (rule.times ?? 1)) chosen = rule.action;
    });
    return chosen;
  }

  function send(res: http.ServerResponse, result: HandlerResult): void {
    remaining = Math.max(remaining - 1, 0);
    const headers: Record<string, string> = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(5000 - remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      'x-github-api-version-selected': '2022-11-28',
      ...result.headers,
    };
    if (result.json === undefined) {
      res.writeHead(result.status, headers).end();
      return;
    }
    res.writeHead(result.status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(result.json));
  }

  function serveObject(req: http.IncomingMessage, res: http.ServerResponse, entry: LoggedRequest): void {
    const m = /^\/_objects\/([0-9a-f]+)$/.exec(entry.path);
    const asset = m ? downloads.get(m[1]!) : undefined;
    entry.status = asset ? 200 : 404;
    if (!asset) return void res.writeHead(404).end('not found');
    asset.downloadCount++;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(asset.bytes.length) }).end(asset.bytes);
  }

  async function handle(host: 'api' | 'uploads', req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = req.method ?? 'GET';
    const authHeader = req.headers.authorization;
    const entry: LoggedRequest = { host, method, path: url.pathname, query: url.search, authorization: authHeader !== undefined, status: 0, violations: [] };
    requests.push(entry);
    if (host === 'uploads' && url.pathname.startsWith('/_objects/')) {
      entry.host = 'objects';
      return serveObject(req, res, entry);
    }

    const contentType = req.headers['content-type'];
    const checked = checkRequest({ method, path: url.pathname, query: url.searchParams, contentType, body: raw });
    const op: MatchedOperation | undefined = checked.operation;
    entry.operationId = op?.operationId;
    if (op && op.uploadsHost !== (host === 'uploads')) checked.problems.push(`${op.operationId} must be sent to the ${op.uploadsHost ? 'uploads' : 'api'} host, not ${host}`);
    if (op?.operationId === 'repos/upload-release-asset' && !contentType) checked.problems.push('uploads need a Content-Type header');
    if (op && !handlerFor(op.operationId)) checked.problems.push(`${op.operationId} is not implemented by the fake (unexpected request)`);
    if (checked.problems.length > 0 || !op) {
      entry.violations = checked.problems;
      violations.push(...checked.problems.map((p) => `${method} ${url.pathname}: ${p}`));
      entry.status = 422;
      return send(res, { status: 422, json: { message: `Invalid request.\n\n${checked.problems.join('\n')}`, documentation_url: 'https://docs.github.com/rest' } });
    }

    const fault = pickFault(op.operationId, method);
    entry.fault = fault?.kind;
    if (fault?.kind === 'drop') {
      entry.status = 'dropped';
      return void req.socket.destroy();
    }
    if (fault?.kind === 'status') {
      entry.status = fault.status;
      return send(res, {
        status: fault.status,
        json: { message: fault.message ?? `fault injected (${fault.status})`, documentation_url: 'https://docs.github.com/rest' },
        headers: {
          ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}),
          ...(fault.rateLimitRemaining === undefined ? {} : { 'x-ratelimit-remaining': String(fault.rateLimitRemaining), 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) }),
        },
      });
    }

    if (fault?.kind === 'before') fault.run(store);
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(authHeader ?? '')?.[1];
    if (authHeader !== undefined && token !== options.token) {
      entry.status = 401;
      return send(res, { status: 401, json: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' } });
    }
    const authenticated = token === options.token;
    if (!authenticated && method !== 'GET') {
      entry.status = 401;
      return send(res, { status: 401, json: { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' } });
    }

    let json: Record<string, unknown> = {};
    if (raw.length > 0 && op.operationId !== 'repos/upload-release-asset') json = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    const ctx = {
      store,
      urls,
      params: op.pathParams,
      query: url.searchParams,
      path: url.pathname,
      json,
      raw,
      contentType,
      accept: String(req.headers.accept ?? ''),
      authenticated,
      signDownload(assetId: number) {
        const found = store.releases.flatMap((r) => r.assets).find((a) => a.id === assetId)!;
        const key = downloadToken();
        downloads.set(key, found);
        return `${urls.uploads}/_objects/${key}`;
      },
    };
    if (fault?.kind === 'partial-upload' && op.operationId === 'repos/upload-release-asset') {
      const rel = store.findRelease(op.pathParams.owner!, op.pathParams.repo!, Number(op.pathParams.release_id));
      if (rel) store.addAsset(rel, url.searchParams.get('name') ?? '', raw.subarray(0, Math.floor(raw.length / 2)), contentType ?? '', null, 'open');
      entry.status = 502;
      return send(res, { status: 502, json: { message: 'Bad Gateway', documentation_url: 'https://docs.github.com/rest' } });
    }
    const result = handlerFor(op.operationId)!(ctx);
    const responseProblems = checkResponse(op, result.status, result.json);
    if (responseProblems.length > 0) violations.push(...responseProblems.map((p) => `fake response to ${method} ${url.pathname}: ${p}`));
    entry.status = result.status;
    if (fault?.kind === 'drop-after') {
      entry.status = 'dropped';
      return void req.socket.destroy();
    }
    send(res, result);
  }

  function serve(host: 'api' | 'uploads'): http.Server {
    return http.createServer((req, res) => {
      handle(host, req, res).catch((error: unknown) => {
        violations.push(`fake crashed on ${req.method} ${req.url}: ${String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  const api = serve('api');
  const uploads = serve('uploads');
  await Promise.all([api, uploads].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
  urls.api = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  urls.uploads = `http://127.0.0.1:${(uploads.address() as AddressInfo).port}`;

  return {
    apiUrl: urls.api,
    uploadsUrl: urls.uploads,
    store,
    requests,
    violations,
    setFaults(next) {
      rules = next;
      counts = next.map(() => 0);
    },
    async close() {
      await Promise.all(
        [api, uploads].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}
