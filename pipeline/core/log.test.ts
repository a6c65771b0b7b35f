/** The redactor: secrets disappear from output in every encoding, correct output is never rewritten. */
import { describe, expect, it } from 'vitest';
import { createLog, redactSecrets } from './log.js';

describe('redaction by whole tokens', () => {
  it.each([
    ['"releaseName": "docker-scs-1-31-v1"', '"releaseName": "docker-scs-1-31-v1"'],
    ['pulling docker.io/library/x', 'pulling docker.io/library/x'],
    ['password docker rejected', 'password *** rejected'],
    ['password was docker.', 'password was ***.'],
    ['https://user:docker@host/x', 'https://user:***@host/x'],
    ['{"password":"docker"}', '{"password":"***"}'],
    ['encoded ZG9ja2Vy here', 'encoded *** here'],
  ])('%s', (input, expected) => {
    const log = createLog({ write: () => undefined, secrets: ['docker'] });
    expect(log.redact(input)).toBe(expected);
  });

  it('replaces long secrets (tokens) wherever they appear, in every encoding', () => {
    const token = 'ghp_0123456789abcdefABCDEF';
    const log = createLog({ write: () => undefined, secrets: [token] });
    expect(log.redact(`x${token}y ${encodeURIComponent(token)} ${Buffer.from(token).toString('base64')}`)).toBe('x***y *** ***');
    expect(redactSecrets('a+b (c) a+b', ['a+b'])).toBe('*** (c) ***');
  });
});
