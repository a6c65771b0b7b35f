/** Reads registry credentials for one host from a docker `config.json` (`auths[host].auth` / `identitytoken`). */
import fs from 'node:fs/promises';
import { UserInputError } from '../../core/errors.js';
import type { Credentials } from './auth.js';

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** Credentials for `registry` from parsed config.json content; undefined when there is no entry. */
export function credentialsFromDockerConfig(config: unknown, registry: string, file = 'config.json'): Credentials | undefined {
  const auths = (config as { auths?: Record<string, AuthEntry> } | null)?.auths ?? {};
  const key = Object.keys(auths).find((k) => normaliseHost(k) === normaliseHost(registry));
  if (key === undefined) return undefined;
  const entry = auths[key] ?? {};
  const out: Credentials = {};
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new UserInputError('OCI_DOCKER_CONFIG_INVALID', `${file}: auths["${key}"].auth is not base64 of user:password`, {
        location: { file },
        details: 'Recreate the entry with `docker login` or write base64("user:password") into "auth".',
      });
    }
    out.username = decoded.slice(0, colon);
    out.password = decoded.slice(colon + 1);
  } else if (entry.username !== undefined && entry.password !== undefined) {
    out.username = entry.username;
    out.password = entry.password;
  }
  if (entry.identitytoken) out.identityToken = entry.identitytoken;
  if (entry.registrytoken) out.accessToken = entry.registrytoken;
  return Object.keys(out).length ? out : undefined;
}

/** Reads and parses a docker config.json file, then picks the entry for `registry`. */
export async function readDockerConfig(path: string, registry: string): Promise<Credentials | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    throw new UserInputError('OCI_DOCKER_CONFIG_UNREADABLE', `cannot read docker config ${path}`, {
      location: { file: path },
      details: 'Point to an existing config.json (DOCKER_CONFIG/config.json or ~/.docker/config.json).',
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // No cause: V8's message quotes the file content, which holds credentials.
    throw new UserInputError('OCI_DOCKER_CONFIG_INVALID', `${path} is not valid JSON`, { location: { file: path }, details: 'Fix the JSON syntax.' });
  }
  return credentialsFromDockerConfig(parsed, registry, path);
}

function normaliseHost(key: string): string {
  return key.replace(/^https?:\/\//, '').replace(/\/.*$/, '').toLowerCase();
}
