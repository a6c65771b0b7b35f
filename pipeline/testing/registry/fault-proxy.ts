/**
 * A loopback HTTP proxy in front of a test registry that injects faults (an error status or a dropped
 * connection) into the Nth matching request and counts the bytes it receives and forwards.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What to do with a matching request: answer `status` without forwarding; `drop` forwards `afterBytes` of
 * the body, then cuts both sides; `drop-response` forwards everything but cuts the client off before the answer.
 */
export type FaultAction =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'drop'; afterBytes?: number }
  | { kind: 'drop-response' };

/** Injects `action` into the `nth` (1-based, default 1) request matching method and path pattern. */
export interface FaultRule {
  method?: string;
  path?: RegExp;
  nth?: number;
  /** How many consecutive matches from `nth` on get the fault (default 1). */
  times?: number;
  action: FaultAction;
}

/** One request seen by the proxy. */
export interface ProxiedRequest {
  method: string;
  path: string;
  /** Request body bytes received from the client. */
  bytesIn: number;
  /** `forwarded` status, or the injected fault. */
  outcome: number | 'dropped';
}

/** A running proxy; `host` goes into references in place of the registry's. */
export interface FaultProxy {
  url: string;
  host: string;
  requests: ProxiedRequest[];
  /** Request body bytes received from clients (all requests). */
  bytesIn(): number;
  /** Request body bytes forwarded to the registry. */
  bytesForwarded(): number;
  /** Replaces the rules and resets match counters. */
  setRules(rules: FaultRule[]): void;
  reset(): void;
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1 in front of `target` (e.g. `http://127.0.0.1:5000`). */
export async function startFaultProxy(target: string, rules: FaultRule[] = []): Promise<FaultProxy> {
  const upstream = new URL(target);
  let active = rules;
  let counts = active.map(() => 0);
  const requests: ProxiedRequest[] = [];
  let forwarded = 0;

  function pick(method: string, path: string): FaultAction | null {
    let chosen: FaultAction | null = null;
    active.forEach((rule, i) => {
      if (rule.method && rule.method !== method) return;
      if (rule.path && !rule.path.test(path)) return;
      counts[i] = counts[i]! + 1;
      const nth = rule.nth ?? 1;
      if (!chosen && counts[i]! >= nth && counts[i]! < nth + (rule.times ?? 1)) chosen = rule.action;
    });
    return chosen;
  }

  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const record: ProxiedRequest = { method, path, bytesIn: 0, outcome: 0 };
    requests.push(record);
    const action = pick(method, path);
    if (action?.kind === 'status') {
      req.on('data', (c: Buffer) => (record.bytesIn += c.length));
      req.on('end', () => {
        record.outcome = action.status;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (action.retryAfter) headers['retry-after'] = action.retryAfter;
        res.writeHead(action.status, headers).end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected fault' }] }));
      });
      return;
    }
    const out = http.request({ host: upstream.hostname, port: upstream.port, method, path, headers: req.headers }, (upRes) => {
      if (action?.kind === 'drop-response') {
        record.outcome = 'dropped';
        upRes.resume();
        req.socket.destroy();
        return;
      }
      record.outcome = upRes.statusCode ?? 0;
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    out.on('error', () => res.destroy());
    const limit = action?.kind === 'drop' ? (action.afterBytes ?? 0) : Infinity;
    let sent = 0;
    let cutting = false;
    req.on('data', (chunk: Buffer) => {
      record.bytesIn += chunk.length;
      if (sent >= limit) return cut();
      const part = sent + chunk.length > limit ? chunk.subarray(0, limit - sent) : chunk;
      sent += part.length;
      forwarded += part.length;
      out.write(part);
      if (sent >= limit) cut();
    });
    req.on('end', () => {
      if (sent < limit) out.end();
      else cut();
    });
    function cut(): void {
      if (cutting) return;
      cutting = true;
      record.outcome = 'dropped';
      // Give the forwarded part a moment to reach the registry, then cut both connections.
      setTimeout(() => {
        out.destroy();
        req.socket.destroy();
      }, 20);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    bytesIn: () => requests.reduce((n, r) => n + r.bytesIn, 0),
    bytesForwarded: () => forwarded,
    setRules(next) {
      active = next;
      counts = active.map(() => 0);
    },
    reset() {
      requests.length = 0;
      forwarded = 0;
      counts = active.map(() => 0);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
