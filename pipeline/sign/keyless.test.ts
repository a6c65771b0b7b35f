/**
 * The keyless signing chain (FulcioSigner + RekorWitness) against recording node:http fakes of Fulcio and Rekor on
 * loopback: what csp sends (OIDC token, proof of possession, DSSE entry) and how the bundle is assembled. Real
 * Fulcio/Rekor (and verification against Sigstore's trusted root) only happen in GitHub Actions.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelfSignedCert } from '../testing/registry/self-signed-cert.js';
import { signDsse } from './sigstore.js';
import { IN_TOTO_PAYLOAD_TYPE } from './statements.js';

interface Recorded {
  path: string;
  body: Record<string, unknown>;
}

const recorded: Recorded[] = [];
const leaf = createSelfSignedCert('fake-fulcio-leaf');
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(text || '{}') as Record<string, unknown>;
      recorded.push({ path: req.url ?? '', body });
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/v2/signingCert') {
        res.statusCode = 201;
        res.end(JSON.stringify({ signedCertificateEmbeddedSct: { chain: { certificates: [leaf.certPem] } } }));
      } else if (req.url === '/api/v1/log/entries') {
        res.statusCode = 201;
        const entry = { body: Buffer.from(JSON.stringify(body)).toString('base64'), integratedTime: 1_700_000_000, logID: 'ab'.repeat(32), logIndex: 42, verification: { signedEntryTimestamp: Buffer.from('set').toString('base64') } };
        res.end(JSON.stringify({ [crypto.randomBytes(16).toString('hex')]: entry }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.`;
}

describe('keyless signing (recording fakes of Fulcio and Rekor)', () => {
  it('sends the OIDC token with a proof of possession, logs a DSSE entry and bundles certificate + tlog entry', async () => {
    recorded.length = 0;
    const sub = 'https://github.com/acme/stacks/.github/workflows/release.yml@refs/heads/main';
    const token = jwt({ iss: 'https://token.actions.githubusercontent.com', sub, aud: 'sigstore' });
    const payload = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [] }));
    const bundle = JSON.parse((await signDsse(payload, IN_TOTO_PAYLOAD_TYPE, { kind: 'keyless', identityToken: token, fulcioUrl: base, rekorUrl: base })).toString()) as {
      mediaType: string;
      verificationMaterial: { certificate?: { rawBytes: string }; tlogEntries: { logIndex: string; kindVersion: { kind: string } }[] };
      dsseEnvelope: { payload: string; signatures: { sig: string }[] };
    };
    expect(recorded.map((r) => r.path)).toEqual(['/api/v2/signingCert', '/api/v1/log/entries']);
    const fulcio = recorded[0]!.body as { credentials: { oidcIdentityToken: string }; publicKeyRequest: { publicKey: { content: string }; proofOfPossession: string } };
    expect(fulcio.credentials.oidcIdentityToken).toBe(token);
    const ephemeral = crypto.createPublicKey(fulcio.publicKeyRequest.publicKey.content);
    expect(crypto.verify('sha256', Buffer.from(sub), ephemeral, Buffer.from(fulcio.publicKeyRequest.proofOfPossession, 'base64'))).toBe(true);
    const rekor = recorded[1]!.body as { kind: string; spec: { proposedContent: { envelope: string; verifiers: string[] } } };
    expect(rekor.kind).toBe('dsse');
    expect(JSON.parse(rekor.spec.proposedContent.envelope)).toMatchObject({ payloadType: IN_TOTO_PAYLOAD_TYPE });

    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(Buffer.from(bundle.verificationMaterial.certificate!.rawBytes, 'base64').equals(leaf.certDer)).toBe(true);
    expect(bundle.verificationMaterial.tlogEntries).toMatchObject([{ logIndex: '42', kindVersion: { kind: 'dsse' } }]);
    const pae = Buffer.concat([Buffer.from(`DSSEv1 ${IN_TOTO_PAYLOAD_TYPE.length} ${IN_TOTO_PAYLOAD_TYPE} ${payload.length} `), payload]);
    expect(crypto.verify('sha256', pae, ephemeral, Buffer.from(bundle.dsseEnvelope.signatures[0]!.sig, 'base64'))).toBe(true);
  });
});
