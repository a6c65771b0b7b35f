/** Integration: the client against docker-registry 2.8.2 with htpasswd (bcrypt) Basic auth. */
import { describe, expect, it } from 'vitest';
import { authCases, clientFor, useAuthRegistry } from './__fixtures__/auth-cases.js';
import { defaultFiles, sampleArtifact } from './__fixtures__/sample-artifact.js';

const ctx = useAuthRegistry('htpasswd');

describe('integration: docker-registry 2.8.2 with htpasswd', () => {
  authCases(ctx);

  it('sends Basic credentials up front after the first challenge', async () => {
    const repo = clientFor(ctx, ctx.registry.credentials).repository('kaas/basic');
    const artifact = sampleArtifact(defaultFiles('basic'));
    ctx.proxy.reset();
    await repo.publish({ manifest: artifact.manifest, blobs: artifact.blobs, tag: 'v1' });
    expect(ctx.proxy.requests.filter((r) => r.outcome === 401).length).toBe(1);
    expect(ctx.proxy.requests[0]!.outcome).toBe(401);
  });
});
