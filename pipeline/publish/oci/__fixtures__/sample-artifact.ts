/** Builds small bundle-shaped OCI artifacts (csctl layout: empty config, scs layer types, titles) for registry tests. */
import crypto from 'node:crypto';
import type { BlobInput, Descriptor } from '../types.js';

/** Exact manifest bytes plus every blob it references (empty config included). */
export interface SampleArtifact {
  manifest: Uint8Array;
  digest: string;
  blobs: BlobInput[];
}

/** One file of the artifact; bytes default to a deterministic text derived from the name and `seed`. */
export interface SampleFile {
  name: string;
  mediaType: string;
  bytes?: Uint8Array;
}

const EMPTY = { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 };

/** The files csctl would publish for a cluster stack release. */
export function defaultFiles(seed = 'v1'): SampleFile[] {
  return [
    { name: 'metadata.yaml', mediaType: 'application/vnd.scs.metadata.layer.v1+yaml', bytes: text(`apiVersion: metadata.clusterstack.x-k8s.io/v1alpha1\nversions:\n  kubernetes: v1.30.5\n# ${seed}\n`) },
    { name: 'clusteraddon.yaml', mediaType: 'application/vnd.scs.cluster-addon.config.layer.v1+yaml', bytes: text(`apiVersion: clusteraddonconfig.x-k8s.io/v1alpha1\n# ${seed}\n`) },
    { name: 'openstack-scs-1-30-cluster-class-v1.tgz', mediaType: 'application/vnd.scs.cluster-class.v1.tar+gzip', bytes: bytesFor(`class-${seed}`, 3000) },
  ];
}

/** An artifact of `files` with artifactType `application/vnd.scs.cluster-stacks.v1` (or a referrer when `subject` is set). */
export function sampleArtifact(files: SampleFile[] = defaultFiles(), options: { artifactType?: string; subject?: Descriptor; annotations?: Record<string, string> } = {}): SampleArtifact {
  const blobs: BlobInput[] = [{ descriptor: EMPTY, source: { bytes: text('{}') } }];
  const layers: Descriptor[] = files.map((f) => {
    const bytes = f.bytes ?? text(`${f.name}\n`);
    const descriptor = { mediaType: f.mediaType, digest: sha(bytes), size: bytes.length, annotations: { 'org.opencontainers.image.title': f.name } };
    blobs.push({ descriptor, source: { bytes } });
    return descriptor;
  });
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: options.artifactType ?? 'application/vnd.scs.cluster-stacks.v1',
    config: EMPTY,
    layers,
    ...(options.subject ? { subject: options.subject } : {}),
    annotations: options.annotations ?? { kubernetesVersion: 'v1.30.5', 'org.opencontainers.image.created': '2025-01-01T00:00:00Z' },
  };
  const bytes = text(JSON.stringify(manifest));
  return { manifest: bytes, digest: sha(bytes), blobs };
}

/** Deterministic pseudo-random bytes (sha256 in counter mode), so tests need no fixtures. */
export function bytesFor(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let offset = 0, i = 0; offset < size; offset += 32, i++) {
    crypto.createHash('sha256').update(`${seed}:${i}`).digest().copy(out, offset);
  }
  return out;
}

function text(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function sha(bytes: Uint8Array): string {
  return `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
}
