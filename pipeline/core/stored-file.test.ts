import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserInputError } from './errors.js';
import { CHUNK_BYTES, isTextFile, loadStored, storeFile, withData } from './stored-file.js';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-stored-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function put(name: string, data: Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, data);
  return file;
}

/** The whole-buffer rule the streamed test must agree with (csctl pre-pass: no NUL, valid UTF-8). */
function wholeText(data: Buffer): boolean {
  if (data.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

const euro = Buffer.from('€'); // 3 bytes: placed across the chunk boundary below
describe('isTextFile (streamed) agrees with the whole-file test', () => {
  it.each<[string, Buffer]>([
    ['empty', Buffer.alloc(0)],
    ['ASCII over two chunks', Buffer.alloc(CHUNK_BYTES + 10, 'a')],
    ['multi-byte character across the chunk boundary', Buffer.concat([Buffer.alloc(CHUNK_BYTES - 1, 'a'), euro, Buffer.from('b')])],
    ['truncated multi-byte character at the end', Buffer.concat([Buffer.alloc(CHUNK_BYTES, 'a'), euro.subarray(0, 2)])],
    ['NUL in the second chunk', Buffer.concat([Buffer.alloc(CHUNK_BYTES + 5, 'a'), Buffer.from([0])])],
    ['invalid byte early', Buffer.concat([Buffer.from([0xff]), Buffer.alloc(CHUNK_BYTES, 'a')])],
  ])('%s', (name, data) => {
    expect(isTextFile(put(name.replace(/\W/g, '_'), data))).toBe(wholeText(data));
  });
});

describe('storeFile and loadStored', () => {
  it('records size and SHA-256; loading checks them', () => {
    const data = Buffer.alloc(CHUNK_BYTES * 2 + 3, 'z');
    const file = put('stored.bin', data);
    const stored = storeFile(file);
    expect(stored).toEqual({ file, size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    expect(loadStored(stored).equals(data)).toBe(true);
    const tree = withData({ path: 'x' }, stored);
    expect(tree.stored).toBe(stored);
    expect(tree.data.equals(data)).toBe(true);
    fs.writeFileSync(file, Buffer.alloc(data.length, 'y'));
    expect(() => loadStored(stored)).toThrow(UserInputError);
  });
});
