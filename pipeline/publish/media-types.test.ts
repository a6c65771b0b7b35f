import { describe, expect, it } from 'vitest';
import { SIGSTORE_BUNDLE_MEDIA_TYPE } from '../sign/index.js';
import { MEDIA_TYPES } from './oci/types.js';

describe('MEDIA_TYPES', () => {
  it('names the Sigstore bundle type the sign stage writes (kept here so finding referrers does not load sigstore)', () => {
    expect(MEDIA_TYPES.sigstoreBundle).toBe(SIGSTORE_BUNDLE_MEDIA_TYPE);
  });
});
