/**
 * A docker token-auth server on 127.0.0.1 (distribution docs/spec/auth/token.md): checks Basic credentials
 * (or an OAuth2 refresh token) and issues ES256 JWTs carrying the requested scopes the user may have.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSelfSignedCert } from './self-signed-cert.js';

/** A user of the token server; `actions` limits what it is granted (default: everything asked for). */
export interface TokenUser {
  username: string;
  password: string;
  actions?: string[];
  /** Accepted as `refresh_token` in the OAuth2 POST flow (docker config.json `identitytoken`). */
  refreshToken?: string;
}

/** One token request as seen by the server (no secrets recorded). */
export interface TokenRequestRecord {
  method: string;
  user: string | null;
  scopes: string[];
  status: number;
}

/** A running token server. */
export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** PEM of the signing certificate: the registry's `rootcertbundle`. */
  certPem: string;
  requests: TokenRequestRecord[];
  close(): Promise<void>;
}

/** Starts the token server; pass the same `service` and `issuer` to the registry config. */
export async function startTokenServer(users: TokenUser[], service = 'csp-test-registry', issuer = 'csp-test-issuer'): Promise<TokenServer> {
  const cert = createSelfSignedCert(issuer);
  const requests: TokenRequestRecord[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let params = url.searchParams;
      let user: TokenUser | null | undefined = null;
      if (req.method === 'POST') {
        params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const grant = params.get('grant_type');
        if (grant === 'refresh_token') user = users.find((u) => u.refreshToken && u.refreshToken === params.get('refresh_token'));
        else if (grant === 'password') user = users.find((u) => u.username === params.get('username') && u.password === params.get('password'));
      } else {
        const basic = parseBasic(req.headers.authorization);
        if (basic) user = users.find((u) => u.username === basic.username && u.password === basic.password);
      }
      const scopes = req.method === 'POST' ? (params.get('scope') ?? '').split(' ').filter(Boolean) : params.getAll('scope');
      if (user === undefined || (req.method === 'POST' && user === null)) {
        requests.push({ method: req.method ?? 'GET', user: null, scopes, status: 401 });
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ details: 'invalid credentials' }));
        return;
      }
      const access = user ? scopes.map(parseScope).filter((s) => s !== null).map((s) => grant(s, user)) : [];
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: issuer,
        sub: user?.username ?? '',
        aud: params.get('service') ?? service,
        exp: now + 300,
        nbf: now - 10,
        iat: now,
        jti: crypto.randomUUID(),
        access,
      };
      const token = signJwt(claims, cert.privateKey, cert.certDer);
      requests.push({ method: req.method ?? 'GET', user: user?.username ?? null, scopes, status: 200 });
      const body = req.method === 'POST' ? { access_token: token, expires_in: 300 } : { token, access_token: token, expires_in: 300, issued_at: new Date(now * 1000).toISOString() };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPem: cert.certPem,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Scope {
  type: string;
  name: string;
  actions: string[];
}

function parseScope(text: string): Scope | null {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first < 0 || last === first) return null;
  return { type: text.slice(0, first), name: text.slice(first + 1, last), actions: text.slice(last + 1).split(',') };
}

function grant(scope: Scope, user: TokenUser): Scope {
  const allowed = user.actions;
  return { ...scope, actions: allowed ? scope.actions.filter((a) => allowed.includes(a)) : scope.actions };
}

function parseBasic(header: string | undefined): { username: string; password: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function signJwt(claims: object, key: crypto.KeyObject, certDer: Buffer): string {
  const header = { typ: 'JWT', alg: 'ES256', x5c: [certDer.toString('base64')] };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}
