import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsFromDockerConfig, readDockerConfig } from './docker-config.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('credentialsFromDockerConfig', () => {
  it.each([
    [{ auths: { 'reg.example:5000': { auth: b64('u:p:with:colons') } } }, 'reg.example:5000', { username: 'u', password: 'p:with:colons' }],
    [{ auths: { 'https://reg.example/v1/': { auth: b64('u:p') } } }, 'reg.example', { username: 'u', password: 'p' }],
    [{ auths: { 'reg.example': { username: 'u', password: 'p' } } }, 'REG.example', { username: 'u', password: 'p' }],
    [{ auths: { 'reg.example': { auth: b64('<token>:'), identitytoken: 'rt' } } }, 'reg.example', { username: '<token>', password: '', identityToken: 'rt' }],
    [{ auths: { 'reg.example': { registrytoken: 'at' } } }, 'reg.example', { accessToken: 'at' }],
    [{ auths: { 'other.example': { auth: b64('u:p') } } }, 'reg.example', undefined],
    [{ credsStore: 'desktop' }, 'reg.example', undefined],
    [null, 'reg.example', undefined],
  ])('%j for %s', (config, host, expected) => {
    expect(credentialsFromDockerConfig(config, host)).toEqual(expected);
  });

  it('refuses an auth value that is not user:password', () => {
    expect(() => credentialsFromDockerConfig({ auths: { r: { auth: b64('nocolon') } } }, 'r')).toThrow(expect.objectContaining({ code: 'OCI_DOCKER_CONFIG_INVALID' }));
  });

  it('reads files and does not echo broken JSON (which may hold secrets) into the error', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-dockercfg-'));
    try {
      const file = path.join(dir, 'config.json');
      await fs.writeFile(file, '{"auths": {"r": {"auth": "c2VjcmV0LXBhc3N3b3Jk"}}');
      const error = await readDockerConfig(file, 'r').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'OCI_DOCKER_CONFIG_INVALID', exitCode: 1 });
      expect(JSON.stringify(error) + String(error) + String((error as Error).cause ?? '')).not.toContain('c2VjcmV0');
      await expect(readDockerConfig(path.join(dir, 'missing.json'), 'r')).rejects.toMatchObject({ code: 'OCI_DOCKER_CONFIG_UNREADABLE' });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
