/** Integration: csp publish/verify/pull against docker-registry 2.8.2 with token auth (ES256 token server). */
import { describe } from 'vitest';
import { publishCases, usePublishRegistry } from './__fixtures__/registry-cases.js';

const ctx = usePublishRegistry('token');

describe('integration: publish, verify, pull with token auth', () => {
  publishCases(ctx, 'kaas/cluster-stacks', 'token');
});
