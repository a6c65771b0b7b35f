/**
 * Sigstore bundles with sigstore-js: DSSE bundles over in-toto statements and message-signature bundles over
 * files, signed offline with a local P-256 key (no witnesses, no network) or keylessly (Fulcio + Rekor through
 * the CI's OIDC token), and their verification (key mode offline, keyless against a trusted root).
 */
import crypto from 'node:crypto';
import { BUNDLE_V03_MEDIA_TYPE, bundleFromJSON, bundleToJSON, type Bundle, type SerializedBundle } from '@sigstore/bundle';
import {
  CIContextProvider, DEFAULT_FULCIO_URL, DEFAULT_REKOR_URL, DSSEBundleBuilder, FulcioSigner, MessageSignatureBundleBuilder, RekorWitness,
  type BundleBuilder, type Signer,
} from '@sigstore/sign';
import { Verifier, toSignedEntity, toTrustMaterial, type VerificationPolicy } from '@sigstore/verify';
import { PipelineError, UpstreamError, UserInputError } from '../core/errors.js';
import { keyHint, parsePublicKey } from './keys.js';

/** Media type of a Sigstore bundle v0.3 (also the OCI artifactType of signature referrers). */
export const SIGSTORE_BUNDLE_MEDIA_TYPE = BUNDLE_V03_MEDIA_TYPE;

/** How to sign: a local key (offline) or keyless through Fulcio/Rekor (GitHub Actions OIDC). */
export type SigningMode =
  | { kind: 'key'; privateKey: crypto.KeyObject }
  | { kind: 'keyless'; fulcioUrl?: string; rekorUrl?: string; identityToken?: string };

/** How to verify: a public key (offline), or a keyless identity + issuer against a trusted root. */
export type VerifyPolicy =
  | { kind: 'key'; publicKeyPem: string }
  | { kind: 'keyless'; identity: string; issuer: string; trustedRootJson?: unknown };

/** What a verified bundle says: the DSSE payload (statements) and who signed. */
export interface VerifiedBundle {
  payloadType?: string;
  payload?: Buffer;
  /** Certificate SAN for keyless bundles; the key hint for key bundles. */
  signer: string;
}

/** A sigstore-js Signer over a local ECDSA P-256 key (DER signatures, public key + hint in the bundle). */
export function keySigner(privateKey: crypto.KeyObject): Signer {
  const publicKey = crypto.createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const hint = keyHint(publicKey);
  return {
    sign: async (data: Buffer) => ({ signature: crypto.sign('sha256', data, privateKey), key: { $case: 'publicKey', publicKey: publicKeyPem, hint } }),
  };
}

function builder(mode: SigningMode, kind: 'dsse' | 'message'): BundleBuilder {
  if (mode.kind === 'key') {
    const signer = keySigner(mode.privateKey);
    // No witnesses: nothing leaves the machine (no Rekor entry, no timestamp).
    return kind === 'dsse' ? new DSSEBundleBuilder({ signer, witnesses: [] }) : new MessageSignatureBundleBuilder({ signer, witnesses: [] });
  }
  const token = mode.identityToken;
  const identityProvider = token ? { getToken: async () => token } : new CIContextProvider('sigstore');
  const signer = new FulcioSigner({ identityProvider, fulcioBaseURL: mode.fulcioUrl ?? DEFAULT_FULCIO_URL });
  const witnesses = [new RekorWitness({ rekorBaseURL: mode.rekorUrl ?? DEFAULT_REKOR_URL, entryType: kind === 'dsse' ? 'dsse' : undefined })];
  return kind === 'dsse' ? new DSSEBundleBuilder({ signer, witnesses, certificateChain: false }) : new MessageSignatureBundleBuilder({ signer, witnesses });
}

/** Signs `payload` as a DSSE envelope of `payloadType`; returns the bundle JSON bytes (media type v0.3). */
export async function signDsse(payload: Uint8Array, payloadType: string, mode: SigningMode): Promise<Buffer> {
  const bundle = await create(builder(mode, 'dsse'), { data: Buffer.from(payload), type: payloadType });
  return serialize(bundle);
}

/** Signs a file's bytes (message signature over their sha256); returns the bundle JSON bytes (media type v0.3). */
export async function signBlob(data: Uint8Array, mode: SigningMode): Promise<Buffer> {
  const bundle = await create(builder(mode, 'message'), { data: Buffer.from(data) });
  return serialize(bundle);
}

async function create(b: BundleBuilder, artifact: { data: Buffer; type?: string }): Promise<Bundle> {
  try {
    return await b.create(artifact);
  } catch (error) {
    if (error instanceof PipelineError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new UpstreamError('SIGN_FAILED', `signing failed: ${message}`, {
      url: 'sigstore',
      details: 'Keyless signing needs GitHub Actions with `permissions: id-token: write` (or SIGSTORE_ID_TOKEN) and reachable Fulcio/Rekor; key signing needs a P-256 key.',
      cause: error,
    });
  }
}

function serialize(bundle: Bundle): Buffer {
  // Key-only bundles from the builders say v0.2; v0.3 is valid for them (assertBundleLatest passes).
  const json = { ...bundleToJSON(bundle), mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE } as SerializedBundle;
  return Buffer.from(JSON.stringify(json));
}

/** Parses bundle JSON bytes; a malformed bundle is a verification failure (exit 1). */
export function parseBundle(bytes: Uint8Array): Bundle {
  try {
    return bundleFromJSON(JSON.parse(Buffer.from(bytes).toString('utf8')));
  } catch (error) {
    throw new UserInputError('VERIFY_BUNDLE_INVALID', `not a Sigstore bundle: ${error instanceof Error ? error.message : String(error)}`, {
      details: 'The signature artifact is damaged or was not written by a Sigstore client.',
      cause: error,
    });
  }
}

/** Verifies a bundle (DSSE: no artifact needed; message signature: pass the signed bytes) under `policy`. */
export async function verifyBundle(bundleBytes: Uint8Array, policy: VerifyPolicy, artifact?: Uint8Array, loadTrustedRoot?: () => Promise<unknown>): Promise<VerifiedBundle> {
  const bundle = parseBundle(bundleBytes);
  // A DSSE envelope signs its own payload, not `artifact`: accepting one here would let any attestation signed
  // with the same key stand in for a signature over the artifact.
  if (artifact && bundle.content.$case !== 'messageSignature') {
    throw new UserInputError('VERIFY_SIGNATURE_INVALID', 'the bundle is an attestation (DSSE envelope), not a signature over the file', {
      details: 'A file signature must be a Sigstore message-signature bundle; this one signs something else.',
    });
  }
  const entity = toSignedEntity(bundle, artifact ? Buffer.from(artifact) : undefined);
  let signer: string;
  try {
    if (policy.kind === 'key') {
      const publicKey = parsePublicKey(policy.publicKeyPem, 'the verification key');
      const hint = keyHint(publicKey);
      // Key mode: the bundle's hint only selects; any hint maps to the one key we trust.
      const trust = toTrustMaterial(emptyTrustedRoot() as never, () => ({ publicKey, validFor: () => true }));
      if (entity.key.$case !== 'public-key') throw new UserInputError('VERIFY_KEY_MISMATCH', 'the bundle is certificate-signed (keyless), not signed with a key', { details: 'Verify it with --identity and --issuer instead of --key.' });
      new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(entity);
      signer = `key ${hint}`;
    } else {
      const { TrustedRoot } = await import('@sigstore/protobuf-specs');
      const rootJson = policy.trustedRootJson ?? (await loadTrustedRoot?.());
      if (!rootJson) throw new UserInputError('VERIFY_NO_TRUSTED_ROOT', 'keyless verification needs a Sigstore trusted root', { details: 'Pass --trusted-root trusted_root.json or allow csp to fetch it over TUF.' });
      const trust = toTrustMaterial(TrustedRoot.fromJSON(rootJson));
      const policyIn: VerificationPolicy = { subjectAlternativeName: policy.identity, extensions: { issuer: policy.issuer } };
      const result = new Verifier(trust).verify(entity, policyIn);
      signer = result.identity?.subjectAlternativeName ?? policy.identity;
    }
  } catch (error) {
    if (error instanceof PipelineError) throw error;
    const code = (error as { code?: string }).code ?? 'VERIFICATION_ERROR';
    throw new UserInputError('VERIFY_SIGNATURE_INVALID', `signature check failed (${code}): ${error instanceof Error ? error.message : String(error)}`, {
      details: policy.kind === 'key' ? 'The artifact was changed after signing or was signed with another key.' : 'The certificate identity or issuer does not match, or the bundle was changed.',
      cause: error,
    });
  }
  if (bundle.content.$case === 'dsseEnvelope') {
    const env = bundle.content.dsseEnvelope;
    return { payloadType: env.payloadType, payload: Buffer.from(env.payload), signer };
  }
  return { signer };
}

function emptyTrustedRoot(): unknown {
  return { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] };
}
