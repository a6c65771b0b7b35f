import { describe, expect, it } from 'vitest';
import { startRegistry } from './start-registry.js';

describe('startRegistry', () => {
  it('names the missing package when the registry binary is absent', async () => {
    await expect(startRegistry({ auth: 'none', binary: '/nonexistent/docker-registry' })).rejects.toThrow(/apt-get install -y docker-registry/);
  });
});
