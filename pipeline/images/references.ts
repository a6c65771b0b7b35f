/**
 * What clusters consume (pure): the ORC `Image` for OpenStack (URL + sha256 from the record, checked by ORC
 * before import), the SCS image-manager file (`images[].versions[]`, node-images.md §1), CSPO's legacy
 * `node-images.yaml`, and the hcloud image name and labels.
 */
import type { ImageRecord } from './types.js';

/** Where ORC finds OpenStack credentials (the ClusterClass identityRef). */
export interface CloudCredentials {
  cloudName: string;
  secretName: string;
}

/** URL and sha256 of a record: the published registry blob when there is one. */
export function downloadOf(record: ImageRecord): { url: string; sha256: string } | undefined {
  const url = record.published?.url ?? record.location.url;
  const sha256 = record.published ? record.published.digest.replace(/^sha256:/, '') : record.sha256;
  return url && sha256 ? { url, sha256 } : undefined;
}

/** ORC Image (openstack.k-orc.cloud/v1alpha1): immutable, so its name is the content-addressed image name. */
export function orcImage(record: ImageRecord, credentials: CloudCredentials): Record<string, unknown> {
  const download = downloadOf(record);
  if (!download) throw new Error(`image ${record.name} has no download URL and sha256 (publish it first)`);
  return {
    apiVersion: 'openstack.k-orc.cloud/v1alpha1',
    kind: 'Image',
    metadata: { name: record.name, labels: { 'csp.scs.community/kubernetes-version': `v${record.kubernetes}` } },
    spec: {
      cloudCredentialsRef: { cloudName: credentials.cloudName, secretName: credentials.secretName },
      managementPolicy: 'managed',
      resource: {
        name: record.name,
        content: {
          diskFormat: record.format === 'raw' ? 'raw' : 'qcow2',
          download: { url: download.url, hash: { algorithm: 'sha256', value: download.sha256 } },
        },
        visibility: 'private',
        tags: [`kubernetes-v${record.kubernetes}`, `csp-key-${record.key.slice(0, 16)}`],
      },
    },
  };
}

/** The SCS OpenStack image-manager file for a set of records (one image entry per recipe). */
export function imageManagerFile(records: readonly ImageRecord[]): { images: Record<string, unknown>[] } {
  const byRecipe = new Map<string, ImageRecord[]>();
  for (const r of records) if (downloadOf(r)) byRecipe.set(r.recipe, [...(byRecipe.get(r.recipe) ?? []), r]);
  return {
    images: [...byRecipe.entries()].map(([recipe, rs]) => ({
      name: `${recipe}-kube`,
      format: 'qcow2',
      login: recipe.startsWith('debian') ? 'debian' : 'ubuntu',
      min_disk: 20,
      min_ram: 512,
      status: 'active',
      visibility: 'private',
      multi: true,
      separator: '-',
      meta: { architecture: 'x86_64', hw_disk_bus: 'scsi', hw_scsi_model: 'virtio-scsi', os_distro: recipe.split('-')[0] },
      tags: [],
      versions: rs.map((r) => {
        const d = downloadOf(r);
        return { version: `v${r.kubernetes}-${r.key.slice(0, 8)}`, url: d?.url, checksum: `sha256:${d?.sha256}`, build_date: r.buildDate.slice(0, 10) };
      }),
    })),
  };
}

/** CSPO's legacy node-images.yaml (no hash: CSPO does not check one). */
export function cspoNodeImages(records: readonly ImageRecord[]): { openStackNodeImages: Record<string, unknown>[] } {
  return {
    openStackNodeImages: records.flatMap((r) => {
      const d = downloadOf(r);
      return d ? [{ url: d.url, createOpts: { name: r.name, disk_format: r.format === 'raw' ? 'raw' : 'qcow2', container_format: 'bare', visibility: 'private' } }] : [];
    }),
  };
}

/** hcloud: CAPH selects the snapshot by the caph-image-name label. */
export function hcloudImage(record: ImageRecord): { imageName: string; labels: Record<string, string> } {
  return { imageName: record.name, labels: { 'caph-image-name': record.name, kubernetes_version: `v${record.kubernetes}` } };
}

/** A fingerprint of the image set a target uses: changes exactly when an image, URL or hash changes. */
export function imageSetFingerprint(records: readonly ImageRecord[]): string {
  return records
    .map((r) => `${r.name} ${downloadOf(r)?.url ?? r.location.glanceId ?? r.location.snapshotId ?? ''} ${downloadOf(r)?.sha256 ?? ''}`)
    .sort()
    .join('\n');
}
