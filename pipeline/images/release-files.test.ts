import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { pluginNodeImages, stackImages } from './release-files.js';
import type { ImageRecord } from './types.js';

const enc = (s: string) => new TextEncoder().encode(s);
const files = (stack: string, csctl = 'config:\n  provider:\n    type: openstack\n') =>
  new Map<string, Uint8Array>([['stack.yaml', enc(stack)], ['csctl.yaml', enc(csctl)], ['cluster-class/values.yaml', enc('identityRef:\n  cloudName: mycloud\n  name: mysecret\n')]]);

function record(over: Partial<ImageRecord> = {}): ImageRecord {
  const key = over.key ?? 'a'.repeat(64);
  return {
    apiVersion: 'csp.scs.community/v1alpha1', kind: 'ImageRecord', name: `ubuntu-2404-kube-v1.32.5-${key.slice(0, 8)}`, recipe: 'ubuntu-2404', target: 'qemu', builder: 'qemu',
    providers: ['openstack'], kubernetes: '1.32.5', key, format: 'qcow2', sha256: 'b'.repeat(64), size: 10, location: { file: '/x.qcow2' }, buildDate: '2026-12-01T00:00:00.000Z',
    packer: { version: '1.9.5', plugins: {} },
    published: { repository: 'r.example/node-images', tag: 'x', digest: `sha256:${'b'.repeat(64)}`, url: 'https://r.example/v2/node-images/blobs/sha256:bbb', mediaType: 'm' },
    ...over,
  };
}

const stack = 'nodeImage:\n  recipe: ubuntu-2404\n';

describe('stackImages', () => {
  it('gives the target its ORC Image, CSPO file, image set and default image name', () => {
    const got = stackImages(files(stack), [record()]).forTarget('1.32.5');
    const orc = parse(got?.files['cluster-class/templates/csp-node-image.yaml'] ?? '') as { spec: { cloudCredentialsRef: unknown; resource: { content: unknown } } };
    expect(orc.spec.cloudCredentialsRef).toEqual({ cloudName: 'mycloud', secretName: 'mysecret' });
    expect(orc.spec.resource.content).toEqual({ diskFormat: 'qcow2', download: { url: 'https://r.example/v2/node-images/blobs/sha256:bbb', hash: { algorithm: 'sha256', value: 'b'.repeat(64) } } });
    expect(Object.keys(got?.files ?? {}).sort()).toEqual(['cluster-class/templates/csp-node-image.yaml', 'node-image/image-manager.yaml', 'node-image/images.yaml', 'node-images.yaml']);
    expect(got?.imageName).toBe(record().name);
    expect(stackImages(files(stack), [record()]).forTarget('1.31.9')).toBeUndefined();
  });

  const base = stackImages(files(stack), [record()]).fingerprint;
  it.each([
    ['same records', [record()], false],
    ['a new URL', [record({ published: { ...record().published!, url: 'https://other/blob' } })], true],
    ['a new hash', [record({ published: { ...record().published!, digest: `sha256:${'c'.repeat(64)}` } })], true],
    ['a new image', [record(), record({ key: 'd'.repeat(64), buildDate: '2026-12-02T00:00:00.000Z' })], true],
    ['an image of another recipe', [record(), record({ recipe: 'debian-12', key: 'e'.repeat(64) })], false],
    ['an image for another provider', [record(), record({ providers: ['hcloud'], key: 'f'.repeat(64), location: { snapshotId: '1' } })], false],
    ['an unpublished file', [record(), record({ key: '9'.repeat(64), published: undefined })], false],
  ] as [string, ImageRecord[], boolean][])('%s ⇒ image set changed: %s', (_, records, changed) => {
    expect(stackImages(files(stack), records).fingerprint !== base).toBe(changed);
  });

  it('newest build of a patch wins', () => {
    const newer = record({ key: 'd'.repeat(64), buildDate: '2026-12-02T00:00:00.000Z' });
    expect(stackImages(files(stack), [record(), newer]).forTarget('1.32.5')?.imageName).toBe(newer.name);
  });
});

describe('pluginNodeImages (csctl provider plugin stacks)', () => {
  const config = 'apiVersion: openstack.csctl.clusterstack.x-k8s.io/v1alpha1\nopenStackNodeImages:\n  - url: https://x/img.qcow2\n';
  it.each([
    ['method get', 'config:\n  provider:\n    type: openstack\n    config:\n      method: get\n', true],
    ['no method (get)', 'config:\n  provider:\n    type: openstack\n', true],
    ['method build (not supported)', 'config:\n  provider:\n    type: openstack\n    config:\n      method: build\n', false],
  ])('%s', (_, csctl, copied) => {
    const f = files('', csctl);
    f.set('node-images/config.yaml', enc(config));
    expect(pluginNodeImages(f)?.files['node-images.yaml']).toBe(copied ? config : undefined);
  });
});
