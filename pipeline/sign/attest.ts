/**
 * The sign stage's work for one bundle: DSSE-sign the signature statement, the SLSA provenance and the SBOM
 * attestation over the manifest digest, and check such a bundle again (signature, payload type, subject digest).
 */
import { UserInputError } from '../core/errors.js';
import { signDsse, verifyBundle, type SigningMode, type VerifyPolicy } from './sigstore.js';
import {
  COSIGN_SIGN_PREDICATE, E2E_PREDICATE, IN_TOTO_PAYLOAD_TYPE, e2eStatement, SLSA_PROVENANCE_PREDICATE, provenanceStatement, sbomPredicateType, sbomStatement, signatureStatement,
  type ProvenanceInput, type Statement,
} from './statements.js';

/** Which statement an attestation carries. */
export type AttestationKind = 'signature' | 'provenance' | 'sbom' | 'e2e';

/** One signed statement as a Sigstore bundle (JSON bytes). */
export interface Attestation {
  kind: AttestationKind;
  predicateType: string;
  bundle: Buffer;
}

/** What to sign for one bundle manifest. */
export interface SignBundleInput {
  /** `registry/repo` or the layout path: the statement subject name. */
  subjectName: string;
  manifestDigest: string;
  provenance?: Omit<ProvenanceInput, 'subjectName' | 'manifestDigest'>;
  /** The SBOM asset's parsed JSON, attested as-is (SPDX or CycloneDX). */
  sbom?: { name: string; document: unknown };
}

/** Signs the signature statement plus provenance and SBOM when given; returns the bundles in that order. */
export async function signBundle(input: SignBundleInput, mode: SigningMode): Promise<Attestation[]> {
  const statements: { kind: AttestationKind; statement: Statement }[] = [{ kind: 'signature', statement: signatureStatement(input.subjectName, input.manifestDigest) }];
  if (input.provenance) {
    statements.push({ kind: 'provenance', statement: provenanceStatement({ ...input.provenance, subjectName: input.subjectName, manifestDigest: input.manifestDigest }) });
  }
  if (input.sbom) {
    const predicateType = sbomPredicateType(input.sbom.document);
    if (!predicateType) {
      throw new UserInputError('SBOM_FORMAT_UNKNOWN', `${input.sbom.name} is neither SPDX JSON nor CycloneDX JSON`, { details: 'The build should write an SPDX 2.x or CycloneDX SBOM.' });
    }
    statements.push({ kind: 'sbom', statement: sbomStatement(input.subjectName, input.manifestDigest, input.sbom.document, predicateType) });
  }
  const out: Attestation[] = [];
  for (const { kind, statement } of statements) {
    out.push({ kind, predicateType: statement.predicateType, bundle: await signDsse(Buffer.from(JSON.stringify(statement)), IN_TOTO_PAYLOAD_TYPE, mode) });
  }
  return out;
}

/** Signs the e2e statement of a passing run (csp e2e), in the same DSSE form as the other attestations. */
export async function signE2e(input: { subjectName: string; manifestDigest: string; predicate: Record<string, unknown> }, mode: SigningMode): Promise<Attestation> {
  const statement = e2eStatement(input.subjectName, input.manifestDigest, input.predicate);
  return { kind: 'e2e', predicateType: E2E_PREDICATE, bundle: await signDsse(Buffer.from(JSON.stringify(statement)), IN_TOTO_PAYLOAD_TYPE, mode) };
}

/** The predicate type each attestation kind must carry. */
export function predicateFor(kind: AttestationKind): string | null {
  return kind === 'signature' ? COSIGN_SIGN_PREDICATE : kind === 'provenance' ? SLSA_PROVENANCE_PREDICATE : kind === 'e2e' ? E2E_PREDICATE : null;
}

/** A statement that passed verification, with who signed it. */
export interface VerifiedStatement {
  statement: Statement;
  signer: string;
}

/**
 * Verifies a DSSE bundle under `policy`, then that it carries an in-toto statement of `predicateType` (when
 * given) whose subject digest is `manifestDigest`. Any mismatch is a UserInputError saying which.
 */
export async function verifyStatement(
  bundle: Uint8Array,
  policy: VerifyPolicy,
  expected: { manifestDigest: string; predicateType?: string; what: string },
  loadTrustedRoot?: () => Promise<unknown>,
): Promise<VerifiedStatement> {
  const verified = await verifyBundle(bundle, policy, undefined, loadTrustedRoot);
  if (verified.payloadType !== IN_TOTO_PAYLOAD_TYPE || !verified.payload) {
    throw new UserInputError('VERIFY_PAYLOAD_INVALID', `${expected.what} is not a DSSE in-toto attestation (payload type ${verified.payloadType ?? 'none'})`, {
      details: 'csp signs in-toto statements in DSSE envelopes; this bundle holds something else.',
    });
  }
  let statement: Statement;
  try {
    statement = JSON.parse(verified.payload.toString('utf8')) as Statement;
  } catch (error) {
    throw new UserInputError('VERIFY_PAYLOAD_INVALID', `${expected.what} payload is not JSON`, { details: 'The signed payload must be an in-toto statement.', cause: error });
  }
  if (expected.predicateType && statement.predicateType !== expected.predicateType) {
    throw new UserInputError('VERIFY_PREDICATE_MISMATCH', `${expected.what} has predicate ${statement.predicateType}, expected ${expected.predicateType}`, {
      details: 'The referrer is labelled as one kind of attestation but signs another.',
    });
  }
  const hex = expected.manifestDigest.replace(/^sha256:/, '');
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  if (!subjects.some((s) => s?.digest?.sha256 === hex)) {
    const signed = subjects.map((s) => `sha256:${s?.digest?.sha256 ?? '?'}`).join(', ') || 'nothing';
    throw new UserInputError('VERIFY_SUBJECT_MISMATCH', `${expected.what} is signed for ${signed}, not for manifest ${expected.manifestDigest}`, {
      details: 'The signature belongs to another artifact (or the manifest was replaced after signing).',
    });
  }
  return { statement, signer: verified.signer };
}
