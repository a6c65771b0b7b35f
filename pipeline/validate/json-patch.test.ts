import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, JsonPatchError, parsePointer, type JsonPatchOp } from './json-patch.js';

const base = { spec: { a: 1, list: ['x', 'y'], nested: { k: 'v' } } };

describe('applyJsonPatch (evanphx/json-patch v5 defaults)', () => {
  it.each<[string, JsonPatchOp[], unknown]>([
    ['add a new key (appended last)', [{ op: 'add', path: '/spec/b', value: 2 }], { spec: { a: 1, list: ['x', 'y'], nested: { k: 'v' }, b: 2 } }],
    ['add replaces an existing key', [{ op: 'add', path: '/spec/a', value: 5 }], { spec: { a: 5, list: ['x', 'y'], nested: { k: 'v' } } }],
    ['add /- appends to an array', [{ op: 'add', path: '/spec/list/-', value: 'z' }], { spec: { a: 1, list: ['x', 'y', 'z'], nested: { k: 'v' } } }],
    ['add /0 inserts at the front', [{ op: 'add', path: '/spec/list/0', value: 'w' }], { spec: { a: 1, list: ['w', 'x', 'y'], nested: { k: 'v' } } }],
    ['replace an existing key', [{ op: 'replace', path: '/spec/nested/k', value: 'n' }], { spec: { a: 1, list: ['x', 'y'], nested: { k: 'n' } } }],
    ['remove an array item', [{ op: 'remove', path: '/spec/list/0' }], { spec: { a: 1, list: ['y'], nested: { k: 'v' } } }],
    ['later ops see earlier results', [{ op: 'add', path: '/spec/new', value: {} }, { op: 'add', path: '/spec/new/x', value: 1 }], { spec: { a: 1, list: ['x', 'y'], nested: { k: 'v' }, new: { x: 1 } } }],
    ['escaped pointer tokens', [{ op: 'add', path: '/spec/nested/a~1b~0c', value: 1 }], { spec: { a: 1, list: ['x', 'y'], nested: { k: 'v', 'a/b~c': 1 } } }],
    ['negative index (v5 supports it)', [{ op: 'replace', path: '/spec/list/-1', value: 'last' }], { spec: { a: 1, list: ['x', 'last'], nested: { k: 'v' } } }],
  ])('%s', (_name, ops, expected) => {
    expect(applyJsonPatch(base, ops)).toEqual(expected);
    expect(base.spec.list).toEqual(['x', 'y']);
  });

  it.each<[string, JsonPatchOp[], number, RegExp]>([
    ['add under a missing parent', [{ op: 'add', path: '/spec/missing/key', value: 1 }], 0, /add operation does not apply: doc is missing path/],
    ['replace of a missing key', [{ op: 'replace', path: '/spec/nope', value: 1 }], 0, /replace operation does not apply: doc is missing key/],
    ['remove of a missing key', [{ op: 'remove', path: '/spec/nope' }], 0, /remove operation does not apply/],
    ['index out of bounds', [{ op: 'add', path: '/spec/list/5', value: 1 }], 0, /out of bounds/],
    ['replace at the array end', [{ op: 'replace', path: '/spec/list/2', value: 1 }], 0, /out of bounds/],
    ['second op fails after the first applied', [{ op: 'add', path: '/spec/b', value: 1 }, { op: 'add', path: '/spec/b/c/d', value: 1 }], 1, /missing path/],
    ['unsupported op', [{ op: 'move', path: '/spec/a', from: '/spec/b' }], 0, /unsupported operation "move"/],
    ['pointer without leading slash', [{ op: 'add', path: 'spec/a', value: 1 }], 0, /must start with "\/"/],
    ['scalar parent', [{ op: 'add', path: '/spec/a/x', value: 1 }], 0, /missing path/],
  ])('fails: %s', (_name, ops, index, message) => {
    let error: unknown;
    try {
      applyJsonPatch(base, ops);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonPatchError);
    expect((error as JsonPatchError).opIndex).toBe(index);
    expect((error as JsonPatchError).message).toMatch(message);
  });

  it('parses pointers', () => {
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('/a~1b/~0/0')).toEqual(['a/b', '~', '0']);
  });
});

describe('applyMergePatch (RFC 7386)', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['adds and replaces', { a: 1, b: { c: 2 } }, { b: { d: 3 }, e: 4 }, { a: 1, b: { c: 2, d: 3 }, e: 4 }],
    ['null deletes', { a: 1, b: 2 }, { a: null }, { b: 2 }],
    ['arrays replace whole', { a: [1, 2] }, { a: [3] }, { a: [3] }],
    ['non-object patch replaces', { a: 1 }, 'x', 'x'],
    ['object patch onto a scalar', 'x', { a: { b: null, c: 1 } }, { a: { c: 1 } }],
  ])('%s', (_name, target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });
});
