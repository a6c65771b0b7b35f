/**
 * in-toto Statements csp signs (pure): the cosign-v3 signature statement over a manifest digest, SLSA v1
 * provenance of a bundle, and an SBOM attestation. All take the subject as `{name, digest}` (oci-and-signing.md §10).
 */

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
export const SLSA_PROVENANCE_PREDICATE = 'https://slsa.dev/provenance/v1';
export const SPDX_PREDICATE = 'https://spdx.dev/Document';
export const CYCLONEDX_PREDICATE = 'https://cyclonedx.org/bom';
/** csp's predicate for a passing `csp e2e` run of a bundle (checks, results and the pinned versions). */
export const E2E_PREDICATE = 'https://scs.community/csp/e2e/v1';
/** csp's own buildType URI for bundles built by `csp build`. */
export const CSP_BUILD_TYPE = 'https://scs.community/csp/bundle-build/v1';

/** One subject of a statement. */
export interface Subject {
  name: string;
  digest: { sha256: string };
}

/** An in-toto Statement v1. */
export interface Statement<P = unknown> {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: string;
  predicate: P;
}

/** `{name, digest: {sha256: hex}}` from a `sha256:<hex>` digest. */
export function subjectOf(name: string, digest: string): Subject {
  return { name, digest: { sha256: digest.replace(/^sha256:/, '') } };
}

/** The statement cosign v3 signs for a container signature: subject = the manifest, empty predicate. */
export function signatureStatement(subjectName: string, manifestDigest: string): Statement<Record<string, never>> {
  return { _type: STATEMENT_TYPE, subject: [subjectOf(subjectName, manifestDigest)], predicateType: COSIGN_SIGN_PREDICATE, predicate: {} };
}

/** What the provenance records: where the build ran, from which source, with which inputs. */
export interface ProvenanceInput {
  subjectName: string;
  manifestDigest: string;
  releaseName: string;
  /** Files of the bundle (the outputs), listed as byproducts with their digests. */
  files: { name: string; digest: string }[];
  /** Builder id, e.g. `https://github.com/actions/runner/github-hosted` or `local`. */
  builderId: string;
  source?: { repository?: string; commit?: string; ref?: string; path?: string };
  /** Inputs with digests (charts, stack dir hashes) besides the source commit. */
  inputs?: { name: string; uri?: string; digest: Record<string, string> }[];
  invocationId?: string;
  workflow?: { repository?: string; path?: string; ref?: string };
  startedOn?: string;
  finishedOn?: string;
}

/** SLSA provenance v1 for one bundle (npm's shape with a csp buildType). */
export function provenanceStatement(input: ProvenanceInput): Statement {
  const resolved: Record<string, unknown>[] = [];
  if (input.source?.repository && input.source.commit) {
    resolved.push({ uri: `git+${input.source.repository}${input.source.ref ? `@${input.source.ref}` : ''}`, digest: { gitCommit: input.source.commit } });
  }
  for (const i of input.inputs ?? []) resolved.push({ name: i.name, ...(i.uri ? { uri: i.uri } : {}), digest: i.digest });
  const metadata: Record<string, string> = {};
  if (input.invocationId) metadata.invocationId = input.invocationId;
  if (input.startedOn) metadata.startedOn = input.startedOn;
  if (input.finishedOn) metadata.finishedOn = input.finishedOn;
  return {
    _type: STATEMENT_TYPE,
    subject: [subjectOf(input.subjectName, input.manifestDigest)],
    predicateType: SLSA_PROVENANCE_PREDICATE,
    predicate: {
      buildDefinition: {
        buildType: CSP_BUILD_TYPE,
        externalParameters: {
          releaseName: input.releaseName,
          ...(input.source?.path ? { stackPath: input.source.path } : {}),
          ...(input.workflow ? { workflow: input.workflow } : {}),
        },
        internalParameters: {},
        resolvedDependencies: resolved,
      },
      runDetails: {
        builder: { id: input.builderId },
        metadata,
        byproducts: input.files.map((f) => ({ name: f.name, digest: { sha256: f.digest.replace(/^sha256:/, '') } })),
      },
    },
  };
}

/** The SBOM format of a parsed SBOM document, from its own markers. */
export function sbomPredicateType(sbom: unknown): string | null {
  const doc = sbom as { spdxVersion?: unknown; bomFormat?: unknown } | null;
  if (doc && typeof doc.spdxVersion === 'string') return SPDX_PREDICATE;
  if (doc && doc.bomFormat === 'CycloneDX') return CYCLONEDX_PREDICATE;
  return null;
}

/** An SBOM attestation: subject = the manifest, predicate = the SBOM document itself. */
export function sbomStatement(subjectName: string, manifestDigest: string, sbom: unknown, predicateType: string): Statement {
  return { _type: STATEMENT_TYPE, subject: [subjectOf(subjectName, manifestDigest)], predicateType, predicate: sbom };
}

/** An e2e attestation: subject = the bundle manifest, predicate = the run's checks, results and versions. */
export function e2eStatement(subjectName: string, manifestDigest: string, predicate: Record<string, unknown>): Statement {
  return { _type: STATEMENT_TYPE, subject: [subjectOf(subjectName, manifestDigest)], predicateType: E2E_PREDICATE, predicate };
}
