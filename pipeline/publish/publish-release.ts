/**
 * `publishRelease`: one release folder to every target in order, signing lazily per target (signature, SLSA
 * provenance, SBOM), signing SHA256SUMS for GitHub, and recording what happened in the release ledger.
 */
import fs from 'node:fs/promises';
import crypto from 'node:crypto';
import { InternalError } from '../core/errors.js';
import { once } from '../core/once.js';
import path from 'node:path';
import type { Attestation, ProvenanceInput, SigningMode, VerifyPolicy } from '../sign/index.js';
import type { E2eGateRecord } from '../ledger/index.js';
import { loadRelease } from './release-source.js';
import { targetImpls } from './targets.js';
import type { PublishDeps, PublishTarget, TargetContext, TargetResult } from './types.js';

/** Provenance facts the CLI gathers from the environment (Actions variables or local git). */
export type BuildContext = Omit<ProvenanceInput, 'subjectName' | 'manifestDigest' | 'releaseName' | 'files'>;

/** One release to publish. */
export interface PublishReleaseInput {
  releaseDir: string;
  /** The build's OCI layout holding the release manifest (OUT/oci-layout). */
  layoutDir: string;
  targets: PublishTarget[];
  /** null: publish unsigned (verify will refuse it). */
  signing: SigningMode | null;
  /** Provenance facts; needed only when signing (an unsigned publish does not look them up). */
  build?: BuildContext;
  dryRun?: boolean;
  /** releases/ folder for the ledger record; omitted: no record. */
  ledgerDir?: string;
  /**
   * The e2e gate for registry and GitHub targets: a passing csp e2e attestation in the layout, verified under
   * `policy`, is required (and attached next to the other attestations), or `skip` records that it was skipped.
   * Omitted: no gate (library callers that check elsewhere).
   */
  e2e?: { policy: VerifyPolicy } | { skip: true };
}

/** What publishing one release did. */
export interface PublishReleaseResult {
  releaseName: string;
  digest: string;
  targets: TargetResult[];
  /** `SHA256SUMS.sigstore.json` written next to SHA256SUMS. */
  checksumSignature?: string;
  ledgerFile?: string;
}

/** Publishes one release folder to every target (first failure stops; earlier targets stay published). */
export async function publishRelease(input: PublishReleaseInput, deps: PublishDeps): Promise<PublishReleaseResult> {
  const release = await loadRelease(input.releaseDir, input.layoutDir);
  const dryRun = input.dryRun ?? false;
  const created = deps.now().toISOString();
  const signing = input.signing;
  // The ledger (with yaml and the schema checks) loads only once it is needed: the uploads start without it.
  const ledger = once(() => import('./ledger-adapter.js'));
  // Read (and checked) while the blobs upload, before anything becomes visible: a broken record or a stale release
  // folder stops the publish before a tag, release or signature exists (the blobs' bytes are already verified).
  // A target starts them (`ready()`) once its uploads are under way, so their work overlaps the upload.
  const schemaInputsRead = once(async () => {
    const { recordedSchemas, schemaProvenanceInputs } = await ledger();
    return schemaProvenanceInputs(await recordedSchemas(input.ledgerDir, release.releaseName));
  });
  const ready = once(() => Promise.all([release.check(), schemaInputsRead()]).then(() => undefined));
  if (signing) await ready();
  const attest = async (subjectName: string): Promise<Attestation[]> => {
    if (!signing) return [];
    if (!input.build) throw new InternalError('PUBLISH_BUILD_CONTEXT_MISSING', 'signing needs the build context for the provenance');
    // The sign stage (and sigstore with it) is loaded only when something is signed.
    const { signBundle } = await import('../sign/index.js');
    return signBundle(
      {
        subjectName,
        manifestDigest: release.descriptor.digest,
        provenance: { ...input.build, inputs: [...(input.build.inputs ?? []), ...(await schemaInputsRead())], releaseName: release.releaseName, files: release.files.map((f) => ({ name: f.name, digest: f.digest })) },
        ...(release.sbom ? { sbom: release.sbom } : {}),
      },
      signing,
    );
  };
  let checksumSignature: string | undefined;
  if (signing && release.sha256sums && !dryRun) {
    checksumSignature = `${release.sha256sums}.sigstore.json`;
    const sums = await fs.readFile(release.sha256sums);
    // ECDSA signatures differ on every run: keep a valid existing one so a re-publish (e.g. to GitHub, whose
    // assets must never change) sees the same files.
    const existing = await fs.readFile(checksumSignature).catch(() => null);
    const { signBlob } = await import('../sign/index.js');
    if (!existing || !(await signs(existing, sums, signing))) await fs.writeFile(checksumSignature, await signBlob(sums, signing));
  }
  let e2e: { record: E2eGateRecord; attestation?: Attestation } | undefined;
  if (input.e2e && input.targets.some((t) => t.kind !== 'oci-layout')) {
    if ('skip' in input.e2e) {
      deps.log.warn(`PUBLISHING ${release.releaseName} WITHOUT A PASSING E2E RUN (--skip-e2e): nothing shows this bundle ever created a working cluster; recorded in the release record`);
      e2e = { record: { status: 'skipped', at: created } };
    } else {
      const { requireE2eAttestation } = await import('./e2e-gate.js');
      const found = await requireE2eAttestation(release.layout, release.releaseName, release.descriptor.digest, input.e2e.policy);
      e2e = { record: { status: 'passed', attestation: found.referrerDigest, at: created }, attestation: found.attestation };
    }
  }
  // Remote targets get the (already signed) e2e attestation next to the ones signed now.
  const attestRemote = async (subjectName: string): Promise<Attestation[]> => [...(await attest(subjectName)), ...(e2e?.attestation ? [e2e.attestation] : [])];
  // A re-run (e.g. a new workflow job that re-signed) accepts a signature already on GitHub when it is a valid
  // signature of the same SHA256SUMS by the same signer, instead of seeing a "different" asset.
  const signatureName = release.sha256sums ? `${path.basename(release.sha256sums)}.sigstore.json` : undefined;
  const equivalentAsset = async (name: string, remote: Uint8Array): Promise<boolean> => {
    if (!signing || !release.sha256sums || name !== signatureName) return false;
    return signs(Buffer.from(remote), await fs.readFile(release.sha256sums), signing);
  };
  const results: TargetResult[] = [];
  for (const target of input.targets) {
    const ctx: TargetContext = { release, ready, attest: target.kind === 'oci-layout' ? attest : attestRemote, signed: signing !== null, dryRun, created, deps, equivalentAsset };
    const impl = targetImpls[target.kind] as { publish(t: PublishTarget, c: TargetContext): Promise<TargetResult> };
    const result = await impl.publish(target, ctx);
    deps.log.debug(`${result.status.padEnd(10)} ${result.ref} ${result.digest}${result.attestations.length ? ` (+${result.attestations.map((a) => `${a.kind} ${a.status}`).join(', ')})` : ''}`);
    results.push(result);
  }
  await ready();
  const ledgerFile = input.ledgerDir && !dryRun ? await (await ledger()).recordPublication(input.ledgerDir, release, results, { at: created, keyless: signing?.kind === 'keyless', ...(e2e ? { e2e: e2e.record } : {}) }) : undefined;
  return {
    releaseName: release.releaseName,
    digest: release.descriptor.digest,
    targets: results,
    ...(checksumSignature ? { checksumSignature } : {}),
    ...(ledgerFile ? { ledgerFile } : {}),
  };
}

/**
 * True when `bytes` is a signature bundle of exactly `data`: verified with our key; keyless: the same message
 * digest (the signer identity is checked by csp verify against the trusted root, not here).
 */
async function signs(bytes: Buffer, data: Buffer, signing: SigningMode): Promise<boolean> {
  if (signing.kind === 'key') {
    const publicKeyPem = crypto.createPublicKey(signing.privateKey).export({ format: 'pem', type: 'spki' }).toString();
    const { verifyBundle } = await import('../sign/index.js');
    return verifyBundle(bytes, { kind: 'key', publicKeyPem }, data).then(() => true, () => false);
  }
  try {
    const json = JSON.parse(bytes.toString('utf8')) as { messageSignature?: { messageDigest?: { digest?: string } } };
    return json.messageSignature?.messageDigest?.digest === crypto.createHash('sha256').update(data).digest('base64');
  } catch {
    return false;
  }
}
