/**
 * Records a publication in the release ledger (releases/<release-name>.yaml) through pipeline/ledger's
 * `addPublication`. When the build wrote no record (a release folder from elsewhere), one is created from the
 * folder's metadata.yaml and hashes.json first. A record of another bundle under the name is refused.
 */
import fs from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { UserInputError } from '../core/errors.js';
import { addPublication, readRecordOrThrow, recordApiVersion, recordPath, type E2eGateRecord, type PublishedRef, type RecordSchemas, type ReleaseRecord, type SignatureRef } from '../ledger/index.js';
import type { LoadedRelease } from './release-source.js';
import type { TargetResult } from './types.js';

/** Adds `published` and `signatures` entries for what the targets did; returns the record file. */
export async function recordPublication(ledgerDir: string, release: LoadedRelease, results: TargetResult[], options: { at: string; keyless: boolean; e2e?: E2eGateRecord }): Promise<string> {
  const file = recordPath(ledgerDir, release.releaseName);
  let record: ReleaseRecord;
  if (await fs.stat(file).then(() => true, () => false)) {
    record = await readRecordOrThrow(file);
    if (record.manifestDigest !== undefined && record.manifestDigest !== release.descriptor.digest) {
      throw new UserInputError('LEDGER_DIGEST_MISMATCH', `${file} records manifest ${record.manifestDigest}, the release folder has ${release.descriptor.digest}`, {
        details: 'The ledger belongs to another build of this release name; published releases never change.',
      });
    }
    if (record.manifestDigest === undefined) record = { ...record, manifestDigest: release.descriptor.digest };
  } else {
    record = newRecord(release);
  }
  const published: PublishedRef[] = [];
  const signatures: SignatureRef[] = [];
  for (const r of results) {
    if (r.status === 'would-push') continue;
    published.push({ target: r.target, ref: r.ref, digest: r.digest, at: options.at });
    for (const a of r.attestations) {
      if (a.status !== 'attached') continue;
      signatures.push({ kind: a.kind === 'signature' ? 'sigstore-bundle' : a.kind, ref: `${r.ref}@${a.digest}`, digest: a.digest, keyless: options.keyless });
    }
  }
  // One write of the record as read (or made) here, with the publication added.
  await addPublication(ledgerDir, release.releaseName, { published, signatures, ...(options.e2e ? { e2e: options.e2e } : {}) }, record);
  return file;
}

function newRecord(release: LoadedRelease): ReleaseRecord {
  const parts = release.releaseName.split('-');
  const m = metadataOf(release);
  const h = release.hashes ?? {};
  if (!m?.kubernetes || !m.clusterStack || !m.clusterAddon || !m.nodeImage || parts.length < 5) {
    throw new UserInputError('LEDGER_NO_METADATA', `cannot create releases/${release.releaseName}.yaml: metadata.yaml is missing or incomplete`, {
      details: 'The release folder needs metadata.yaml (and hashes.json) as csp build writes them.',
    });
  }
  const hashes: ReleaseRecord['hashes'] = { clusterStack: h.clusterStack ?? '', clusterAddonDir: h.clusterAddonDir ?? '' };
  for (const key of ['clusterAddonValues', 'nodeImageDir', 'clusterClassDir'] as const) if (h[key]) hashes[key] = h[key];
  return {
    apiVersion: recordApiVersion,
    kind: 'ClusterStackRelease',
    name: release.releaseName,
    provider: parts[0]!,
    stack: parts[1]!,
    kubernetesVersion: m.kubernetes,
    versions: { clusterStack: m.clusterStack, clusterAddon: m.clusterAddon, nodeImage: m.nodeImage },
    hashes,
    files: release.files.map((f) => ({ name: f.name, digest: f.digest, size: f.size, mediaType: f.mediaType })),
    manifestDigest: release.descriptor.digest,
  };
}

type Metadata = { kubernetes?: string; clusterStack?: string; clusterAddon?: string; nodeImage?: string };

/** The versions in the release folder's metadata.yaml (as csp build writes it), when there is one. */
function metadataOf(release: LoadedRelease): Metadata | undefined {
  if (release.metadataText === undefined) return undefined;
  const doc = parseYaml(release.metadataText) as { versions?: { kubernetes?: string; clusterStack?: string; components?: { clusterAddon?: string; nodeImage?: string } } } | null;
  const v = doc?.versions;
  return v ? { kubernetes: v.kubernetes, clusterStack: v.clusterStack, clusterAddon: v.components?.clusterAddon, nodeImage: v.components?.nodeImage } : undefined;
}

/**
 * Provenance inputs for the schemas a bundle was validated against (its record's `schemas`): the catalog by
 * its digest, the Kubernetes OpenAPI document and each provider release, so a verifier sees what checked it.
 */
export function schemaProvenanceInputs(schemas: RecordSchemas | undefined): { name: string; uri?: string; digest: Record<string, string> }[] {
  if (!schemas) return [];
  const out: { name: string; uri?: string; digest: Record<string, string> }[] = [{ name: 'csp schema catalog', uri: 'schemas/catalog', digest: { sha256: schemas.catalog.replace(/^sha256:/, '') } }];
  if (schemas.kubernetes) out.push({ name: `Kubernetes ${schemas.kubernetes.minor} OpenAPI v2 (${schemas.kubernetes.source})`, digest: { sha256: schemas.kubernetes.sha256 } });
  return out;
}

/** The record's `schemas`, when the ledger has a record for the release. */
export async function recordedSchemas(ledgerDir: string | undefined, releaseName: string): Promise<RecordSchemas | undefined> {
  if (!ledgerDir) return undefined;
  const file = recordPath(ledgerDir, releaseName);
  if (!(await fs.stat(file).then(() => true, () => false))) return undefined;
  return (await readRecordOrThrow(file)).schemas;
}
