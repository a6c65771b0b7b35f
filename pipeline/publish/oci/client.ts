/**
 * The authenticated request layer for one registry host over core/http: attaches cached credentials,
 * answers a 401 challenge once, surfaces `Warning` headers, and turns error answers into coded errors.
 */
import { UpstreamError, UserInputError, type PipelineError } from '../../core/errors.js';
import { redactUrl, type Http, type HttpResponse, type StreamBody } from '../../core/http.js';
import type { Log } from '../../core/log.js';
import { parseChallenge } from './auth-challenge.js';
import { createAuthenticator, type Credentials } from './auth.js';
import { isLoopbackHost } from './reference.js';

/** Options shared by every repository of one registry. */
export interface RegistryOptions {
  http: Http;
  credentials?: Credentials;
  /** Plain HTTP instead of HTTPS (default: only for loopback hosts). */
  plainHttp?: boolean;
  log?: Log;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Bytes per PATCH for chunked uploads (default 16 MiB). */
  chunkSize?: number;
  /** Blobs above this size are uploaded in chunks (default: `chunkSize`). */
  chunkThreshold?: number;
  /** Blobs from files above `chunkThreshold` are streamed in one PUT instead of buffered chunks (default true). */
  streamUploads?: boolean;
  /** Upload sessions tried per blob before giving up (default 4). */
  uploadAttempts?: number;
  /** First wait between upload sessions in ms; doubles each time (default 500). */
  backoffMs?: number;
  /**
   * Repository (same registry) for referrers on registries without the referrers API, so the release
   * repository only ever holds release tags; default `<repository>-signatures`.
   */
  signatureRepository?: string;
}

/** One request to the registry; `scopes` are the token scopes it needs. */
export interface OciRequest {
  /** Absolute URL, or a path starting with `/v2/`. */
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string | StreamBody;
  scopes: string[];
  /** Override core/http retries (0 for upload-session steps, which are retried from POST instead). */
  retries?: number;
  timeoutMs?: number;
  /** Largest answer body accepted (core/http's default: limits().httpDocumentBytes). */
  maxBytes?: number;
}

/** The request layer bound to one registry host. */
export interface RegistryClient {
  registry: string;
  baseUrl: string;
  options: Required<Pick<RegistryOptions, 'chunkSize' | 'chunkThreshold' | 'uploadAttempts' | 'backoffMs' | 'streamUploads'>> & RegistryOptions;
  send(req: OciRequest): Promise<HttpResponse>;
  /** Removes every credential and token this client holds from a text. */
  redact(text: string): string;
  sleep(ms: number): Promise<void>;
  /** Per-client state of higher layers (referrers support per repository, per-subject write queues). */
  state: Map<string, unknown>;
}

/** Creates the client for `registry` (`host[:port]`). */
export function createRegistryClient(registry: string, options: RegistryOptions): RegistryClient {
  const plain = options.plainHttp ?? isLoopbackHost(registry);
  const baseUrl = `${plain ? 'http' : 'https'}://${registry}`;
  const baseHost = new URL(baseUrl).host;
  const auth = createAuthenticator(options.credentials, { http: options.http, now: options.now });
  const chunkSize = options.chunkSize ?? 16 * 1024 * 1024;
  const resolved = { ...options, chunkSize, chunkThreshold: options.chunkThreshold ?? chunkSize, uploadAttempts: options.uploadAttempts ?? 4, backoffMs: options.backoffMs ?? 500, streamUploads: options.streamUploads ?? true };

  function redact(text: string): string {
    let out = text;
    const forms = auth.secrets().flatMap((s) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64')]);
    for (const s of forms.filter((f) => f.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
    return out;
  }

  async function send(req: OciRequest): Promise<HttpResponse> {
    const url = req.url.startsWith('/') ? `${baseUrl}${req.url}` : req.url;
    const sameHost = new URL(url).host === baseHost;
    let authorization: string | undefined;
    const attempt = async (): Promise<HttpResponse> => {
      const headers = { ...req.headers };
      authorization = sameHost ? auth.header(req.scopes) : undefined;
      if (authorization) headers.authorization = authorization;
      return options.http.request({ url, method: req.method ?? 'GET', headers, body: req.body, retries: req.retries, timeoutMs: req.timeoutMs, maxBytes: req.maxBytes });
    };
    let res = await attempt();
    if (res.status === 401 && sameHost && (await auth.respond(parseChallenge(res.headers.get('www-authenticate')), req.scopes, authorization))) {
      res = await attempt();
    }
    options.log?.debug(redact(`${req.method ?? 'GET'} ${redactUrl(url).replace(/_state=[^&]*/, '_state=…')} → ${res.status}`));
    const warning = res.headers.get('warning');
    if (warning && options.log) options.log.warn(`registry ${registry}: ${redact(warning)}`);
    return res;
  }

  return { registry, baseUrl, options: resolved, send, redact, sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))), state: new Map() };
}

/** Registry error codes of the distribution spec that get their own `OCI_<CODE>` error code. */
const KNOWN_CODES = new Set([
  'BLOB_UNKNOWN', 'BLOB_UPLOAD_INVALID', 'BLOB_UPLOAD_UNKNOWN', 'DIGEST_INVALID', 'MANIFEST_BLOB_UNKNOWN', 'MANIFEST_INVALID',
  'MANIFEST_UNKNOWN', 'NAME_INVALID', 'NAME_UNKNOWN', 'SIZE_INVALID', 'UNSUPPORTED', 'TOOMANYREQUESTS',
]);

/** The registry's first `{errors: [{code, message}]}` entry, if the body has one. */
export async function registryErrorCode(res: HttpResponse): Promise<{ code?: string; message?: string }> {
  try {
    const body = (await res.json()) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = body.errors?.[0];
    return { code: typeof first?.code === 'string' ? first.code : undefined, message: typeof first?.message === 'string' ? first.message : undefined };
  } catch {
    return {};
  }
}

/** Turns a non-success answer into the error to throw: 401/403 are user problems, the rest upstream. */
export async function registryError(client: RegistryClient, res: HttpResponse, what: string): Promise<PipelineError> {
  const url = redactUrl(res.url).replace(/_state=[^&]*/, '_state=…');
  const { code, message } = await registryErrorCode(res);
  const text = client.redact(message ?? (await res.text()).slice(0, 300)).replace(/\s+/g, ' ').trim();
  const suffix = text ? `: ${text}` : '';
  const insufficient = /error="?insufficient_scope/.test(res.headers.get('www-authenticate') ?? '');
  if (res.status === 401 && !insufficient && client.options.credentials) {
    return new UserInputError('OCI_CREDENTIALS_REJECTED', `${what}: ${client.registry} rejected the credentials csp sent (401)${suffix}`, {
      details: 'Check the username and password (or token) given to csp: they are wrong, expired or revoked for this registry.',
    });
  }
  if (res.status === 401 && !insufficient) {
    return new UserInputError('OCI_UNAUTHORIZED', `${what}: ${client.registry} requires authentication (401)${suffix}`, {
      details: 'Provide registry credentials (username and password, a docker config.json entry or an access token) with access to this repository.',
    });
  }
  if (res.status === 403 || res.status === 401) {
    return new UserInputError('OCI_DENIED', `${what}: ${client.registry} denied access (${insufficient ? 'insufficient scope' : res.status})${suffix}`, {
      details: 'The credentials are valid but lack permission; grant push (and pull) on the repository.',
    });
  }
  const retriable = res.status === 429 || res.status >= 500;
  return new UpstreamError(code && KNOWN_CODES.has(code) ? `OCI_${code}` : 'OCI_HTTP_STATUS', `${what}: ${res.status} from ${client.registry}${suffix}`, {
    url,
    status: res.status,
    retriable,
    details: retriable ? 'The registry is overloaded or failing; retry later.' : `The registry refused the request (${code ?? res.status}); see the message.`,
  });
}

/** One repository on a registry: what blob, manifest and referrer functions act on. */
export interface RepositoryTarget {
  client: RegistryClient;
  /** Repository name without host, e.g. `kaas/cluster-stacks`. */
  name: string;
}

/** Token scopes for reading (`pull`) or writing (`pull,push`) a repository. */
export function scopesFor(target: RepositoryTarget, access: 'pull' | 'push' | 'delete'): string[] {
  const actions = access === 'pull' ? 'pull' : access === 'push' ? 'pull,push' : 'delete,pull';
  return [`repository:${target.name}:${actions}`];
}
