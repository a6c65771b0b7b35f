/** Integration: the client against docker-registry 2.8.2 with token auth (our ES256 token server). */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authCases, clientFor, errorText, expectNoSecret, useAuthRegistry } from './__fixtures__/auth-cases.js';
import { defaultFiles, sampleArtifact } from './__fixtures__/sample-artifact.js';
import { openRepository } from './repository.js';

const ctx = useAuthRegistry('token');

describe('integration: docker-registry 2.8.2 with token auth', () => {
  authCases(ctx);

  it('caches tokens per scope: one pull and one push token for a whole publish', async () => {
    const repo = clientFor(ctx, ctx.registry.credentials).repository('kaas/cached');
    const artifact = sampleArtifact(defaultFiles('cached'));
    const before = ctx.registry.tokenServer!.requests.length;
    await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    await repo.getManifest('v1');
    const issued = ctx.registry.tokenServer!.requests.slice(before);
    expect(issued.map((r) => r.scopes.join(' '))).toEqual(['repository:kaas/cached:pull', 'repository:kaas/cached:pull,push']);
  });

  it('refuses pushes for a pull-only user (insufficient_scope) as a user error, reads still work', async () => {
    const writer = clientFor(ctx, ctx.registry.credentials).repository('kaas/readonly');
    const artifact = sampleArtifact(defaultFiles('readonly'));
    await writer.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    const reader = clientFor(ctx, { username: 'reader', password: 'reader-pw-123' }).repository('kaas/readonly');
    expect((await reader.headManifest('v1'))?.digest).toBe(artifact.digest);
    const other = sampleArtifact(defaultFiles('readonly-2'));
    const error = await reader.publish({ manifest: other.manifest, blobs: other.blobs, tag: 'v2' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 1, code: 'OCI_DENIED' });
  });

  it('exchanges a docker config.json identitytoken through the OAuth2 refresh-token grant', async () => {
    const file = path.join(ctx.tmp, 'identity.json');
    const refresh = ctx.registry.refreshToken!;
    await fs.writeFile(file, JSON.stringify({ auths: { [ctx.proxy.host]: { auth: Buffer.from('<token>:').toString('base64'), identitytoken: refresh } } }));
    const repo = await openRepository(`${ctx.proxy.host}/kaas/cluster-stacks`, { http: ctx.http, dockerConfig: file });
    expect(await repo.headManifest('v1')).not.toBeNull();
    expect(ctx.registry.tokenServer!.requests.at(-1)).toMatchObject({ method: 'POST', user: 'csp-user', status: 200 });
  });

  it('sends a ready access token as Bearer without any exchange, and never prints it', async () => {
    const { username, password } = ctx.registry.credentials!;
    const url = `${ctx.registry.tokenServer!.realm}?service=${ctx.registry.tokenServer!.service}&scope=repository:kaas/cluster-stacks:pull`;
    const res = await ctx.http.request({ url, headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } });
    const token = ((await res.json()) as { token: string }).token;
    const before = ctx.registry.tokenServer!.requests.length;
    const repo = clientFor(ctx, { accessToken: token }).repository('kaas/cluster-stacks');
    expect(await repo.headManifest('v1')).not.toBeNull();
    const error = await clientFor(ctx, { accessToken: token }).repository('kaas/elsewhere').getBlob(`sha256:${'1'.repeat(64)}`).catch((e: unknown) => e);
    // The token covers kaas/cluster-stacks only: the registry answers insufficient_scope.
    expect(error).toMatchObject({ code: 'OCI_DENIED', exitCode: 1 });
    expectNoSecret(errorText(error), token);
    expect(ctx.registry.tokenServer!.requests.length).toBe(before);
    expectNoSecret(ctx.logLines.join('\n'), token);
  });
});

