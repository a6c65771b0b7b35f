/**
 * A CycloneDX 1.5 JSON SBOM for one bundle: the Kubernetes version, the packaged charts, the dependency
 * charts vendored into the addons (with archive digests), the container images the rendered charts use
 * (with their digest when pinned) and node images when the stack ships them.
 * Reproducible: no random serial number, the timestamp is the build's fixed creation time.
 */
import { createHash } from 'node:crypto';
import { splitImage } from './images.js';
import type { TargetPlan, VendoredChart } from './types.js';

/** A node image the bundle refers to (from node-images.yaml). */
export interface NodeImageRef {
  name: string;
  url?: string;
}

export interface SbomInput {
  plan: TargetPlan;
  created: string;
  /** Packaged archives in the bundle: file name → sha256 hex. */
  archives: { name: string; chartName: string; version: string; sha256: string }[];
  charts: VendoredChart[];
  nodeImages: NodeImageRef[];
}

export const sbomFileName = 'sbom.cdx.json';

function hashes(hex: string): { alg: 'SHA-256'; content: string }[] {
  return [{ alg: 'SHA-256', content: hex }];
}

/** Serialises the SBOM (two-space JSON, trailing newline). */
export function buildSbom(input: SbomInput): string {
  const { plan } = input;
  const components: Record<string, unknown>[] = [
    {
      type: 'platform',
      'bom-ref': `kubernetes@v${plan.kubernetesVersion}`,
      name: 'kubernetes',
      version: `v${plan.kubernetesVersion}`,
      purl: `pkg:github/kubernetes/kubernetes@v${plan.kubernetesVersion}`,
    },
    ...input.archives.map((a) => ({
      type: 'application',
      'bom-ref': `${a.chartName}@${a.version}`,
      name: a.chartName,
      version: a.version,
      hashes: hashes(a.sha256),
      properties: [{ name: 'csp:asset', value: a.name }],
    })),
    ...input.charts.map((c) => ({
      type: 'application',
      'bom-ref': `${c.addon}/${c.name}@${c.version}`,
      name: c.name,
      version: c.version,
      hashes: hashes(c.digest.replace(/^sha256:/, '')),
      purl: `pkg:helm/${c.name}@${c.version}${c.repository ? `?repository_url=${encodeURIComponent(c.repository)}` : ''}`,
      properties: [
        { name: 'csp:addon', value: c.addon },
        { name: 'csp:source', value: c.source },
      ],
    })),
    ...(plan.images ?? []).map((ref) => {
      const image = splitImage(ref);
      const hex = image.digest?.startsWith('sha256:') ? image.digest.slice(7) : undefined;
      const name = image.repository.split('/').pop() ?? image.repository;
      return {
        type: 'container',
        'bom-ref': `image/${ref}`,
        name: image.repository,
        ...(image.tag ? { version: image.tag } : {}),
        ...(hex ? { hashes: hashes(hex) } : {}),
        purl: `pkg:oci/${name}${image.digest ? `@${encodeURIComponent(image.digest)}` : ''}?repository_url=${encodeURIComponent(image.repository)}${image.tag ? `&tag=${encodeURIComponent(image.tag)}` : ''}`,
      };
    }),
    ...input.nodeImages.map((img) => ({
      type: 'operating-system',
      'bom-ref': `node-image/${img.name}@${plan.versions.nodeImage}`,
      name: img.name,
      version: plan.versions.nodeImage,
      ...(img.url ? { externalReferences: [{ type: 'distribution', url: img.url }] } : {}),
    })),
  ];
  const serial = createHash('sha256').update(`${plan.releaseName}\n${plan.hashes.clusterStack}`).digest('hex');
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    // A name-based UUID (v5 layout) from the release and its content hash: stable across rebuilds.
    serialNumber: `urn:uuid:${serial.slice(0, 8)}-${serial.slice(8, 12)}-5${serial.slice(13, 16)}-${((parseInt(serial.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${serial.slice(18, 20)}-${serial.slice(20, 32)}`,
    version: 1,
    metadata: {
      timestamp: input.created,
      tools: { components: [{ type: 'application', name: 'csp', version: '0.1.0' }] },
      component: {
        type: 'application',
        'bom-ref': plan.releaseName,
        name: plan.releaseName,
        version: plan.versions.clusterStack,
        properties: [
          { name: 'csp:clusterAddonVersion', value: plan.versions.clusterAddon },
          { name: 'csp:nodeImageVersion', value: plan.versions.nodeImage },
          { name: 'csp:clusterStackHash', value: plan.hashes.clusterStack },
        ],
      },
    },
    components,
    dependencies: [{ ref: plan.releaseName, dependsOn: components.map((c) => String(c['bom-ref'])) }],
  };
  return `${JSON.stringify(bom, null, 2)}\n`;
}
