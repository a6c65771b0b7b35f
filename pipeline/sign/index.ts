/**
 * The sign stage: P-256 keys, Sigstore bundles (v0.3) over in-toto statements for a bundle manifest (signature,
 * SLSA provenance, SBOM) and over release files (SHA256SUMS), offline with a key or keyless in GitHub Actions.
 */
export { generateKeyPair, keyHint, parsePrivateKey, parsePublicKey, readKeyFile, writeKeyPair, type KeyPairPem } from './keys.js';
export { signBundle, signE2e, verifyStatement, predicateFor, type Attestation, type AttestationKind, type SignBundleInput, type VerifiedStatement } from './attest.js';
export { SIGSTORE_BUNDLE_MEDIA_TYPE, signBlob, verifyBundle, type SigningMode, type VerifiedBundle, type VerifyPolicy } from './sigstore.js';
export {
  COSIGN_SIGN_PREDICATE, CSP_BUILD_TYPE, E2E_PREDICATE, IN_TOTO_PAYLOAD_TYPE, SLSA_PROVENANCE_PREDICATE, provenanceStatement, type ProvenanceInput, type Statement,
} from './statements.js';
export {
  ReleaseFilesMismatch, SUMS_BUNDLE_NAME, SUMS_NAME, parseSha256Sums, verifyReleaseFiles,
  type ReleaseFileProblem, type ReleaseFileProblemCode, type VerifyReleaseFilesInput, type VerifyReleaseFilesResult,
} from './release-files.js';
