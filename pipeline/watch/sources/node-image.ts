/**
 * Published node images (OSISM object storage): an image is usable once `<url>.CHECKSUM` exists; its
 * first token is the image's sha256. 404 means "not built yet", which the policy reports.
 */
import type { WatchSource } from '../types.js';
import { garbage } from './github-api.js';

export const nodeImageSource: WatchSource<'node-image'> = {
  kind: 'node-image',
  describe: (q) => `node image ${q.url}`,
  async list(query, ctx) {
    const url = `${query.url}.CHECKSUM`;
    const res = await ctx.fetcher.text(url, { what: `node image checksum`, accept: [403, 404] });
    if (res.status !== 200) return [];
    const hash = res.text.trim().split(/\s+/)[0] ?? '';
    if (!/^[0-9a-f]{64}$/.test(hash)) throw garbage('node image checksum', url, 'no sha256 in sha256sum format');
    return [{ version: 'present', digest: `sha256:${hash}`, url: query.url }];
  },
};
