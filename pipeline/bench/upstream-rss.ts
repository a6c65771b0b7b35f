/**
 * Child process of the upstream bench: streams one Helm index from URL through csp's fetcher and index
 * reader (mode "index"), or only loads the same modules (mode "baseline"), then prints its max RSS.
 */
import { createHttp } from '../core/http.js';
import { createFetcher } from '../watch/fetcher.js';
import { helmIndexConsumer } from '../watch/sources/helm-index.js';

const [mode, url] = process.argv.slice(2);
const fetcher = createFetcher({ http: createHttp({ retries: 0 }) });
let versions = 0;
if (mode === 'index' && url) {
  const result = await fetcher.streamed(url, 'bench', { what: 'bench index' }, () => helmIndexConsumer(['cilium']));
  versions = result.cilium?.length ?? 0;
}
process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, bytes: fetcher.stats.bytes, versions }));
