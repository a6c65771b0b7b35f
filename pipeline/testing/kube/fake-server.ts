/**
 * A loopback Kubernetes API server (node:http) good enough for @kubernetes/client-node: discovery, create, get,
 * list, watch, replace, merge-patch, delete and pod logs over an in-memory store. Every request is matched against the
 * real OpenAPI document's operations and query parameters and its body validated against the kind's schema;
 * every JSON response is validated too. A violation answers 400 and is recorded: tests assert `violations` is
 * empty. `onCreate` hooks let a test world play controllers (CAPI, CSO, kubelet).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadKubeSpec, type KubeSpec, type ResourceInfo } from './spec.js';

type Obj = Record<string, unknown>;
interface Meta { name: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string; [k: string]: unknown }
/** An object as stored: always with apiVersion, kind and metadata. */
export type KubeObj = Obj & { apiVersion: string; kind: string; metadata: Meta };

/** The fake: its URL, store access for controllers and tests, and what it saw. */
export interface FakeKubeApi {
  url: string;
  spec: KubeSpec;
  /** Requests as `METHOD path?query`. */
  requests: string[];
  /** Spec violations of requests and responses; must stay empty in a passing test. */
  violations: string[];
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObj | undefined;
  list(apiVersion: string, kind: string, namespace?: string): KubeObj[];
  /** Stores (creates or replaces) an object as a controller would; validated like any request body. */
  put(object: Obj): KubeObj;
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): void;
  /** Called after a client created an object (controllers react here). */
  onCreate(hook: (object: KubeObj) => void): void;
  onDelete(hook: (object: KubeObj) => void): void;
  /** Text served as the log of a pod. */
  setLog(namespace: string, name: string, text: string): void;
  kubeconfig(): string;
  close(): Promise<void>;
}

/** Starts a fake API server for Kubernetes `minor` on 127.0.0.1 with a random port. */
export async function startFakeKubeApi(options: { minor?: string; name?: string } = {}): Promise<FakeKubeApi> {
  const spec = await loadKubeSpec(options.minor ?? '1.32');
  const store = new Map<string, KubeObj>();
  const logs = new Map<string, string>();
  const createHooks: ((o: KubeObj) => void)[] = [];
  const deleteHooks: ((o: KubeObj) => void)[] = [];
  const requests: string[] = [];
  const violations: string[] = [];
  let rv = 1;
  /** Open watches: a collection (apiVersion, kind, namespace or all) and the streaming response. */
  const watchers = new Set<{ apiVersion: string; kind: string; ns?: string; res: http.ServerResponse }>();
  const notify = (type: 'ADDED' | 'MODIFIED' | 'DELETED', o: KubeObj) => {
    for (const w of watchers) {
      if (w.apiVersion === o.apiVersion && w.kind === o.kind && (w.ns === undefined || w.ns === o.metadata.namespace)) w.res.write(`${JSON.stringify({ type, object: o })}\n`);
    }
  };
  const key = (apiVersion: string, kind: string, ns: string | undefined, name: string) => `${apiVersion}|${kind}|${ns ?? ''}|${name}`;

  function put(object: Obj): KubeObj {
    const o = structuredClone(object) as KubeObj;
    const problems = spec.checkObject(o);
    if (problems.length) violations.push(...problems.map((p) => `controller put: ${p}`));
    const res = spec.resourceFor(o.apiVersion, o.kind);
    if (res && !res.namespaced) delete o.metadata.namespace;
    const k = key(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);
    const old = store.get(k);
    o.metadata.uid = old?.metadata.uid ?? crypto.randomUUID();
    o.metadata.creationTimestamp = old?.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    o.metadata.resourceVersion = String(++rv);
    store.set(k, o);
    notify(old ? 'MODIFIED' : 'ADDED', o);
    return o;
  }
  const list = (apiVersion: string, kind: string, ns?: string) =>
    [...store.values()].filter((o) => o.apiVersion === apiVersion && o.kind === kind && (ns === undefined || o.metadata.namespace === ns)).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 4 * 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      requests.push(`${method} ${url.pathname}${url.search}`);
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        violations.push(`${method} ${url.pathname}: body is not JSON`);
      }
      const send = (code: number, payload: unknown, template?: string) => {
        if (typeof payload === 'string') {
          res.writeHead(code, { 'content-type': 'text/plain' }).end(payload);
          return;
        }
        const problems = spec.checkResponse(method, template, payload);
        if (problems.length) violations.push(...problems.map((p) => `response to ${method} ${url.pathname}: ${p}`));
        res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      };
      const status = (code: number, reason: string, message: string) =>
        send(code, { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message, reason, code }, 'status');
      const checked = spec.checkRequest(method, url, method === 'PATCH' ? undefined : body);
      if (checked.violations.length) {
        violations.push(...checked.violations);
        status(400, 'BadRequest', checked.violations.join('; '));
        return;
      }
      try {
        handle(method, url.pathname.replace(/\/$/, ''), body as Obj | undefined, checked.template!, send, status, url.searchParams.get('watch') === 'true' ? res : undefined);
      } catch (error) {
        violations.push(`fake server error on ${method} ${url.pathname}: ${(error as Error).message}`);
        status(500, 'InternalError', (error as Error).message);
      }
    });
  });

  function handle(method: string, pathname: string, body: Obj | undefined, template: string, send: (c: number, p: unknown, t?: string) => void, status: (c: number, r: string, m: string) => void, watchRes?: http.ServerResponse): void {
    const parts = pathname.split('/').filter(Boolean);
    const core = parts[0] === 'api';
    const apiVersion = core ? parts[1]! : `${parts[1]}/${parts[2]}`;
    let rest = parts.slice(core ? 2 : 3);
    if (rest.length === 0) return send(200, discovery(apiVersion), template);
    let ns: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      ns = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, sub] = rest as [string, string | undefined, string | undefined];
    const r = spec.resources.find((x) => x.plural === plural && (x.group ? `${x.group}/${x.version}` : x.version) === apiVersion);
    if (!r) return status(404, 'NotFound', `the server could not find the requested resource ${pathname}`);
    const k = (n: string) => key(apiVersion, r.kind, r.namespaced ? ns : undefined, n);
    if (!name && method === 'GET' && watchRes) {
      // A watch: the current objects as ADDED, then every change, one JSON event per line, until the client leaves.
      watchRes.writeHead(200, { 'content-type': 'application/json' });
      watchRes.flushHeaders();
      const w = { apiVersion, kind: r.kind, ...(ns ? { ns } : {}), res: watchRes };
      for (const o of list(apiVersion, r.kind, ns)) watchRes.write(`${JSON.stringify({ type: 'ADDED', object: o })}\n`);
      watchers.add(w);
      watchRes.on('close', () => watchers.delete(w));
      return;
    }
    if (!name) {
      if (method === 'GET') return send(200, { apiVersion, kind: `${r.kind}List`, metadata: { resourceVersion: String(rv) }, items: list(apiVersion, r.kind, ns) }, template);
      const o = body as KubeObj;
      if (store.has(k(o.metadata.name))) return status(409, 'AlreadyExists', `${plural} "${o.metadata.name}" already exists`);
      const created = put({ ...o, metadata: { ...o.metadata, ...(r.namespaced ? { namespace: ns } : {}) } });
      send(201, created, template);
      for (const hook of createHooks) hook(created);
      return;
    }
    const existing = store.get(k(name));
    if (sub === 'log') {
      return existing ? send(200, logs.get(`${ns}/${name}`) ?? '') : status(404, 'NotFound', `pods "${name}" not found`);
    }
    if (!existing && method !== 'PUT') return status(404, 'NotFound', `${plural} "${name}" not found`);
    if (method === 'GET') return send(200, existing, template);
    if (method === 'DELETE') {
      store.delete(k(name));
      notify('DELETED', existing!);
      for (const hook of deleteHooks) hook(existing!);
      return send(200, { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', details: { name, kind: plural } }, template);
    }
    if (method === 'PUT') return send(200, put(body!), template);
    // PATCH: JSON merge patch (RFC 7386), then the result must still be a valid object.
    const patched = mergePatch(existing, body) as KubeObj;
    const problems = spec.checkObject(patched);
    if (problems.length) {
      violations.push(...problems.map((p) => `PATCH ${template} result: ${p}`));
      return status(422, 'Invalid', problems.join('; '));
    }
    send(200, put(patched), template);
  }

  function discovery(apiVersion: string): Obj {
    const resources = spec.resources
      .filter((x) => (x.group ? `${x.group}/${x.version}` : x.version) === apiVersion)
      .map((x: ResourceInfo) => ({ name: x.plural, singularName: x.kind.toLowerCase(), namespaced: x.namespaced, kind: x.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'] }));
    return { apiVersion: 'v1', kind: 'APIResourceList', groupVersion: apiVersion, resources };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const name = options.name ?? 'fake';
  return {
    url, spec, requests, violations, put, list,
    get: (apiVersion, kind, ns, n) => store.get(key(apiVersion, kind, spec.resourceFor(apiVersion, kind)?.namespaced === false ? undefined : ns, n)),
    remove: (apiVersion, kind, ns, n) => {
      const k = key(apiVersion, kind, ns, n);
      const o = store.get(k);
      store.delete(k);
      if (o) notify('DELETED', o);
    },
    onCreate: (hook) => void createHooks.push(hook),
    onDelete: (hook) => void deleteHooks.push(hook),
    setLog: (ns, pod, text) => void logs.set(`${ns}/${pod}`, text),
    kubeconfig: () => [
      'apiVersion: v1', 'kind: Config', `current-context: ${name}`,
      // client-node speaks plain HTTP only with TLS verification off (the fake is loopback HTTP).
      'clusters:', `  - name: ${name}`, '    cluster:', `      server: ${url}`, '      insecure-skip-tls-verify: true',
      'users:', `  - name: ${name}`, '    user:', '      token: fake-token',
      'contexts:', `  - name: ${name}`, '    context:', `      cluster: ${name}`, `      user: ${name}`, '',
    ].join('\n'),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Obj = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Obj) } : {};
  for (const [k, v] of Object.entries(patch as Obj)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
