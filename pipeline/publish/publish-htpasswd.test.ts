/** Integration: csp publish/verify/pull against docker-registry 2.8.2 with htpasswd (bcrypt) auth. */
import { describe } from 'vitest';
import { publishCases, usePublishRegistry } from './__fixtures__/registry-cases.js';

const ctx = usePublishRegistry('htpasswd');

describe('integration: publish, verify, pull with htpasswd auth', () => {
  publishCases(ctx, 'kaas/cluster-stacks', 'htpasswd');
});
