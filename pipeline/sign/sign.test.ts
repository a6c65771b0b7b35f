/** Sigstore bundles signed offline with P-256 keys: round trips, tamper cases, and a cross-check without sigstore-js. */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, parsePrivateKey, parsePublicKey } from './keys.js';
import { signBundle, verifyStatement } from './attest.js';
import { signBlob, signDsse, verifyBundle, type SigningMode } from './sigstore.js';
import { COSIGN_SIGN_PREDICATE, IN_TOTO_PAYLOAD_TYPE, SLSA_PROVENANCE_PREDICATE } from './statements.js';

const pair = generateKeyPair();
const other = generateKeyPair();
const mode: SigningMode = { kind: 'key', privateKey: parsePrivateKey(pair.privateKeyPem) };
const digestA = `sha256:${crypto.createHash('sha256').update('manifest A').digest('hex')}`;
const digestB = `sha256:${crypto.createHash('sha256').update('manifest B').digest('hex')}`;
const build = { releaseName: 'openstack-scs-1-30-v1', files: [{ name: 'metadata.yaml', digest: digestB }], builderId: 'https://scs.community/csp/local', source: { repository: 'https://github.com/o/r', commit: 'a'.repeat(40) } };

function pae(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
}

describe('signing bundles offline', () => {
  it('signs signature, provenance and SBOM statements as v0.3 DSSE bundles that verify and name the manifest', async () => {
    const attestations = await signBundle({ subjectName: 'r.example/kaas/stacks', manifestDigest: digestA, provenance: build, sbom: { name: 'sbom.cdx.json', document: { bomFormat: 'CycloneDX', specVersion: '1.5' } } }, mode);
    expect(attestations.map((a) => a.kind)).toEqual(['signature', 'provenance', 'sbom']);
    for (const a of attestations) {
      const json = JSON.parse(a.bundle.toString()) as { mediaType: string; verificationMaterial: { publicKey: { hint: string } }; dsseEnvelope: { payloadType: string } };
      expect(json.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
      expect(json.dsseEnvelope.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE);
      const verified = await verifyStatement(a.bundle, { kind: 'key', publicKeyPem: pair.publicKeyPem }, { manifestDigest: digestA, predicateType: a.predicateType, what: a.kind });
      expect(verified.statement.subject[0]).toEqual({ name: 'r.example/kaas/stacks', digest: { sha256: digestA.slice(7) } });
    }
    const prov = await verifyStatement(attestations[1]!.bundle, { kind: 'key', publicKeyPem: pair.publicKeyPem }, { manifestDigest: digestA, predicateType: SLSA_PROVENANCE_PREDICATE, what: 'provenance' });
    expect(prov.statement.predicate).toMatchObject({
      buildDefinition: { resolvedDependencies: [{ uri: 'git+https://github.com/o/r', digest: { gitCommit: 'a'.repeat(40) } }] },
      runDetails: { builder: { id: 'https://scs.community/csp/local' }, byproducts: [{ name: 'metadata.yaml', digest: { sha256: digestB.slice(7) } }] },
    });
  });

  it('produces signatures that verify with plain node:crypto over the DSSE PAE', async () => {
    const payload = Buffer.from(JSON.stringify({ hello: 'world' }));
    const bundle = JSON.parse((await signDsse(payload, IN_TOTO_PAYLOAD_TYPE, mode)).toString()) as { dsseEnvelope: { payload: string; signatures: { sig: string }[] } };
    const sig = Buffer.from(bundle.dsseEnvelope.signatures[0]!.sig, 'base64');
    expect(Buffer.from(bundle.dsseEnvelope.payload, 'base64').equals(payload)).toBe(true);
    expect(crypto.verify('sha256', pae(IN_TOTO_PAYLOAD_TYPE, payload), parsePublicKey(pair.publicKeyPem), sig)).toBe(true);
    expect(crypto.verify('sha256', pae(IN_TOTO_PAYLOAD_TYPE, Buffer.from('{"hello":"word"}')), parsePublicKey(pair.publicKeyPem), sig)).toBe(false);
  });

  it.each([
    ['another key', async (b: Buffer) => b, other.publicKeyPem, digestA, 'VERIFY_SIGNATURE_INVALID'],
    ['a changed payload', async (b: Buffer) => swapPayload(b, digestB), pair.publicKeyPem, digestB, 'VERIFY_SIGNATURE_INVALID'],
    ['a signature of another digest', async (b: Buffer) => b, pair.publicKeyPem, digestB, 'VERIFY_SUBJECT_MISMATCH'],
    ['a damaged bundle', async (b: Buffer) => Buffer.from(b.toString().replace('dsseEnvelope', 'dsse')), pair.publicKeyPem, digestA, 'VERIFY_BUNDLE_INVALID'],
  ])('refuses %s', async (_name, tamper, publicKeyPem, expectedDigest, code) => {
    const [signature] = await signBundle({ subjectName: 'x', manifestDigest: digestA }, mode);
    const bundle = await tamper(signature!.bundle);
    await expect(verifyStatement(bundle, { kind: 'key', publicKeyPem }, { manifestDigest: expectedDigest, predicateType: COSIGN_SIGN_PREDICATE, what: 'signature' })).rejects.toMatchObject({ code, exitCode: 1 });
  });

  it('refuses a statement whose predicate is not the one its referrer declares', async () => {
    const [, provenance] = await signBundle({ subjectName: 'x', manifestDigest: digestA, provenance: build }, mode);
    await expect(verifyStatement(provenance!.bundle, { kind: 'key', publicKeyPem: pair.publicKeyPem }, { manifestDigest: digestA, predicateType: COSIGN_SIGN_PREDICATE, what: 'signature' })).rejects.toMatchObject({ code: 'VERIFY_PREDICATE_MISMATCH' });
  });

  it('signs SHA256SUMS as a message signature that fails for changed content', async () => {
    const sums = Buffer.from(`${'0'.repeat(64)}  metadata.yaml\n`);
    const bundle = await signBlob(sums, mode);
    expect((JSON.parse(bundle.toString()) as { mediaType: string }).mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    await expect(verifyBundle(bundle, { kind: 'key', publicKeyPem: pair.publicKeyPem }, sums)).resolves.toMatchObject({ signer: expect.stringMatching(/^key /) });
    await expect(verifyBundle(bundle, { kind: 'key', publicKeyPem: pair.publicKeyPem }, Buffer.from(`${'1'.repeat(64)}  metadata.yaml\n`))).rejects.toMatchObject({ code: 'VERIFY_SIGNATURE_INVALID' });
  });

  it('never accepts an attestation signed with the same key in place of a file signature', async () => {
    const sums = Buffer.from(`${'0'.repeat(64)}  metadata.yaml\n`);
    const [attestation] = await signBundle({ subjectName: 'x', manifestDigest: digestA }, mode);
    const policy = { kind: 'key' as const, publicKeyPem: pair.publicKeyPem };
    await expect(verifyBundle(attestation!.bundle, policy)).resolves.toMatchObject({ signer: expect.stringMatching(/^key /) });
    await expect(verifyBundle(attestation!.bundle, policy, sums)).rejects.toMatchObject({ code: 'VERIFY_SIGNATURE_INVALID', message: expect.stringMatching(/DSSE/) });
  });

  it('rejects keys that are not P-256, and reports keyless signing against an unreachable Fulcio as one upstream error', async () => {
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => parsePrivateKey(rsa)).toThrow(expect.objectContaining({ code: 'KEY_UNSUPPORTED' }));
    expect(() => parsePublicKey('not a key')).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    // Keyless against an unreachable Fulcio with a fake token: fails as one clear upstream error, no network beyond loopback.
    const keyless: SigningMode = { kind: 'keyless', identityToken: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', fulcioUrl: 'http://127.0.0.1:9', rekorUrl: 'http://127.0.0.1:9' };
    await expect(signDsse(Buffer.from('{}'), IN_TOTO_PAYLOAD_TYPE, keyless)).rejects.toMatchObject({ code: 'SIGN_FAILED', exitCode: 2 });
  });
});

/** Replaces the statement's subject digest inside the envelope without re-signing. */
function swapPayload(bundle: Buffer, digest: string): Buffer {
  const json = JSON.parse(bundle.toString()) as { dsseEnvelope: { payload: string } };
  const statement = JSON.parse(Buffer.from(json.dsseEnvelope.payload, 'base64').toString()) as { subject: { digest: { sha256: string } }[] };
  statement.subject[0]!.digest.sha256 = digest.slice(7);
  json.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  return Buffer.from(JSON.stringify(json));
}
