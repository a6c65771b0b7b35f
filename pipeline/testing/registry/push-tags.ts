/** Pushes tiny image manifests under the given tags to a test registry (kindest/node tags for watch tests). */
import crypto from 'node:crypto';
import { createHttp, expectOk } from '../../core/http.js';

/** Uploads one empty config blob and tags a manifest referencing it as each of `tags`. */
export async function pushTags(registryUrl: string, repository: string, tags: string[]): Promise<void> {
  const http = createHttp({ retries: 0 });
  const config = Buffer.from('{}');
  const digest = `sha256:${crypto.createHash('sha256').update(config).digest('hex')}`;
  const start = await expectOk(await http.request({ url: `${registryUrl}/v2/${repository}/blobs/uploads/`, method: 'POST' }), 'start upload');
  const location = new URL(start.headers.get('location')!, registryUrl);
  location.searchParams.set('digest', digest);
  await expectOk(await http.request({ url: location.toString(), method: 'PUT', body: config, headers: { 'content-type': 'application/octet-stream' } }), 'upload');
  for (const tag of tags) {
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: config.length },
      layers: [],
      annotations: { tag },
    });
    await expectOk(await http.request({ url: `${registryUrl}/v2/${repository}/manifests/${tag}`, method: 'PUT', body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } }), 'push manifest');
  }
}
