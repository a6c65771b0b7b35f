/**
 * Registry authentication state for one host: Basic, or the Bearer token flow (realm + service + scopes,
 * with Basic credentials or an OAuth2 refresh token), tokens cached per scope set until they expire.
 */
import { UpstreamError, UserInputError } from '../../core/errors.js';
import { redactUrl, type Credentials, type Http } from '../../core/http.js';
import { coversScopes, mergeScopes, type Challenge } from './auth-challenge.js';

export type { Credentials };

/** Per-host auth state used by the registry client. */
export interface Authenticator {
  /** The `Authorization` value to send for a request needing `scopes`, if one is known. */
  header(scopes: string[]): string | undefined;
  /** Learns from a 401 challenge to a request sent with `sent` (Authorization); true when a retry makes sense. */
  respond(challenge: Challenge | null, scopes: string[], sent?: string): Promise<boolean>;
  /** Every secret this authenticator holds or obtained (for redaction). */
  secrets(): string[];
}

interface CachedToken {
  scopes: string[];
  token: string;
  expiresAt: number;
}

/** Creates the auth state for one registry host. */
export function createAuthenticator(credentials: Credentials | undefined, deps: { http: Http; now?: () => number }): Authenticator {
  const now = deps.now ?? Date.now;
  let mode: 'none' | 'basic' | 'bearer' = credentials?.accessToken ? 'bearer' : 'none';
  let realm: { url: string; service?: string } | undefined;
  const tokens: CachedToken[] = [];
  const obtained = new Set<string>();
  const inflight = new Map<string, Promise<void>>();

  const basicValue = (): string | undefined =>
    credentials?.username !== undefined && credentials.password !== undefined
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
      : undefined;

  function header(scopes: string[]): string | undefined {
    if (credentials?.accessToken) return `Bearer ${credentials.accessToken}`;
    if (mode === 'basic') return basicValue();
    if (mode === 'bearer') {
      const t = tokens.find((c) => c.expiresAt > now() && coversScopes(c.scopes, scopes));
      return t ? `Bearer ${t.token}` : undefined;
    }
    return undefined;
  }

  async function respond(challenge: Challenge | null, scopes: string[], sent?: string): Promise<boolean> {
    if (credentials?.accessToken || !challenge) return false;
    if (challenge.scheme === 'basic') {
      // Another request switched to Basic while this one was under way: retry it with the credentials.
      if (mode === 'basic') return sent !== basicValue() && basicValue() !== undefined;
      if (!basicValue()) return false;
      mode = 'basic';
      return true;
    }
    if (challenge.scheme !== 'bearer' || !challenge.params.realm) return false;
    mode = 'bearer';
    realm = { url: challenge.params.realm, service: challenge.params.service };
    const wanted = mergeScopes([...scopes, ...(challenge.params.scope ? [challenge.params.scope] : [])]);
    const cached = tokens.find((c) => c.expiresAt > now() && coversScopes(c.scopes, wanted));
    // A concurrent request obtained a token for these scopes after this one was sent: retry with it.
    if (cached && sent !== `Bearer ${cached.token}`) return true;
    // A cached token that already covers the scopes was just refused: asking again will not help.
    if (cached && challenge.params.error === 'insufficient_scope') return false;
    // Concurrent requests refused for the same scopes share one token request.
    const key = wanted.join(' ');
    let pending = inflight.get(key);
    if (!pending) {
      pending = fetchToken(wanted)
        .then((token) => {
          tokens.unshift(token);
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    await pending;
    return true;
  }

  async function fetchToken(scopes: string[]): Promise<CachedToken> {
    const { url, service } = realm!;
    let res;
    if (credentials?.identityToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.identityToken, client_id: 'csp' });
      if (service) form.set('service', service);
      if (scopes.length) form.set('scope', scopes.join(' '));
      res = await deps.http.request({ url, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    } else {
      const target = new URL(url);
      if (service) target.searchParams.set('service', service);
      for (const s of scopes) target.searchParams.append('scope', s);
      const basic = basicValue();
      res = await deps.http.request({ url: target.toString(), headers: basic ? { authorization: basic } : {} });
    }
    if (res.status === 401 || res.status === 403) {
      throw new UserInputError('OCI_AUTH_FAILED', `the token service at ${redactUrl(url)} rejected the credentials (${res.status})`, {
        details: 'Check the registry username and password (or identity token) and that the account may access this repository.',
      });
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown } = {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      // handled below as a missing token
    }
    const token = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    if (res.status !== 200 || !token) {
      throw new UpstreamError('OCI_TOKEN_FAILED', `the token service at ${redactUrl(url)} answered ${res.status} without a token`, {
        url: redactUrl(url),
        status: res.status,
        retriable: res.status >= 500,
        details: 'The registry sent clients to this token service; check that it is reachable and speaks the docker token protocol.',
      });
    }
    obtained.add(token);
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in >= 60 ? body.expires_in : 60;
    // Refresh a little early so a long upload does not run into an expired token.
    return { scopes, token, expiresAt: now() + (expiresIn - 10) * 1000 };
  }

  function secrets(): string[] {
    const list = [credentials?.password, credentials?.identityToken, credentials?.accessToken, basicValue()?.slice(6), ...obtained];
    return list.filter((s): s is string => typeof s === 'string' && s.length > 0);
  }

  return { header, respond, secrets };
}
