import { describe, expect, it } from 'vitest';
import { containerImages, splitImage } from './images.js';

describe('containerImages', () => {
  it.each<[string, unknown[], string[]]>([
    ['deployment and daemonset, duplicates once', [
      { kind: 'Deployment', spec: { template: { spec: { containers: [{ image: 'b:1' }], initContainers: [{ image: 'a:2' }] } } } },
      { kind: 'DaemonSet', spec: { template: { spec: { containers: [{ image: 'b:1' }] } } } },
    ], ['a:2', 'b:1']],
    ['cronjob nesting', [{ kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [{ image: 'c@sha256:abc' }] } } } } } }], ['c@sha256:abc']],
    ['image outside containers ignored', [{ kind: 'ConfigMap', data: { image: 'x:1' } }], []],
    ['empty and non-string images ignored', [{ spec: { containers: [{ image: '' }, { image: 3 }, null] } }], []],
  ])('%s', (_name, docs, expected) => expect(containerImages(docs)).toEqual(expected));
});

describe('splitImage', () => {
  it.each<[string, ReturnType<typeof splitImage>]>([
    ['quay.io/cilium/cilium:v1.17.4@sha256:abc', { repository: 'quay.io/cilium/cilium', tag: 'v1.17.4', digest: 'sha256:abc' }],
    ['registry:5000/app', { repository: 'registry:5000/app', tag: undefined, digest: undefined }],
    ['registry:5000/app:1.0', { repository: 'registry:5000/app', tag: '1.0', digest: undefined }],
    ['busybox', { repository: 'busybox', tag: undefined, digest: undefined }],
  ])('%s', (ref, expected) => expect(splitImage(ref)).toEqual(expected));
});
