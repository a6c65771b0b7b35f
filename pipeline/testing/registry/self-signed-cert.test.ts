import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSelfSignedCert } from './self-signed-cert.js';

describe('createSelfSignedCert', () => {
  it('produces a certificate that Node parses, that verifies with its own key and is a CA', () => {
    const now = new Date('2030-06-01T12:00:00Z');
    const cert = createSelfSignedCert('csp-test-issuer', now);
    const x509 = new crypto.X509Certificate(cert.certPem);
    expect(x509.subject).toBe('CN=csp-test-issuer');
    expect(x509.issuer).toBe('CN=csp-test-issuer');
    expect(x509.ca).toBe(true);
    expect(x509.verify(cert.publicKey)).toBe(true);
    expect(x509.raw.equals(cert.certDer)).toBe(true);
    expect(new Date(x509.validTo).getTime()).toBe(now.getTime() + 24 * 3600 * 1000);
    expect(x509.publicKey.export({ format: 'jwk' })).toEqual(cert.publicKey.export({ format: 'jwk' }));
  });
});
