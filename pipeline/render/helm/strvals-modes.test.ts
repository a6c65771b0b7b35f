/** `--set-json`, `--set-file` and `--set-literal` parsing (Helm's pkg/strvals ParseJSON, ParseIntoFile, ParseLiteralInto). */
import { describe, expect, it } from 'vitest';
import type { GoMap } from '../template/values.js';
import { setFilePaths, setFileReader, setFileSource } from './set-file.js';
import { parseSetFileInto, parseSetJsonInto, StrvalsError } from './strvals.js';
import { decodeJsonPrefix, JsonTooDeepError, JsonValueError, unmarshalJsonObject } from './strvals-json.js';
import { parseSetLiteralInto } from './strvals-literal.js';

function json(...exprs: string[]): GoMap {
  const out: GoMap = {};
  for (const e of exprs) parseSetJsonInto(e, out);
  return out;
}

function literal(...exprs: string[]): GoMap {
  const out: GoMap = {};
  for (const e of exprs) parseSetLiteralInto(e, out);
  return out;
}

describe('parseSetJsonInto (--set-json a=JSON)', () => {
  it.each<[string, GoMap]>([
    ['a=1', { a: 1 }],
    ['a=1.5e2', { a: 150 }],
    ['a="x,y=z"', { a: 'x,y=z' }],
    ['a=[1,"two",true,null]', { a: [1, 'two', true, null] }],
    ['a={"b":{"c":[1]}}', { a: { b: { c: [1] } } }],
    ['a.b=true,c=false', { a: { b: true }, c: false }],
    ['a=1 , b=2', { a: 1, ' b': 2 }],
    ['a=1 b=2', { a: 1, b: 2 }],
    ['a=', { a: null }],
    ['a= ,b=2', { a: null, b: 2 }],
    ['a=null', { a: null }],
    ['list[1]={"x":1}', { list: [null, { x: 1 }] }],
    ['list[0]=', { list: [null] }],
    ['a="\\u00e9\\ud800"', { a: 'é\ufffd' }],
    ['a.b\\.c=1', { a: { 'b.c': 1 } }],
  ])('%s', (expr, want) => {
    expect(json(expr)).toEqual(want);
  });

  it('replaces a whole subtree (no deep merge)', () => {
    expect(json('a={"x":1,"y":2}', 'a={"y":3}')).toEqual({ a: { y: 3 } });
  });

  it.each<string>(['a={"b":', 'a=[1,2', 'a=tru', 'a=1.', 'a=-', 'a=1e', 'a="x', 'a={b:1}', 'a=[1 2]', 'a=1e400', 'a="\\x"', 'a=01'])('%s fails', (expr) => {
    expect(() => json(expr)).toThrow(Error);
    try {
      json(expr);
    } catch (e) {
      expect(e instanceof StrvalsError || e instanceof JsonValueError).toBe(true);
    }
  });

  it('stops after the first JSON document like json.Decoder', () => {
    expect(decodeJsonPrefix('{"a":1}x=2')).toEqual({ value: { a: 1 }, runes: 7 });
    expect(decodeJsonPrefix('"é",b=1')).toEqual({ value: 'é', runes: 3 });
    expect(decodeJsonPrefix('0123')).toEqual({ value: 0, runes: 1 });
  });

  it('limits nesting to 10000 like encoding/json', () => {
    expect(decodeJsonPrefix(`${'['.repeat(500)}${']'.repeat(500)},x`).runes).toBe(1000);
    expect(() => decodeJsonPrefix(`${'['.repeat(10001)}${']'.repeat(10001)}`)).toThrow(JsonValueError);
    // Go accepts this depth; csp reports that it cannot instead of crashing.
    expect(() => decodeJsonPrefix(`${'['.repeat(9000)}${']'.repeat(9000)}`)).toThrow(JsonTooDeepError);
  });

  it.each<[string, GoMap | null]>([
    ['{"a":{"b":1}}', { a: { b: 1 } }],
    [' {"__proto__":1} ', { ['__proto__']: 1 }],
    ['{"a":1} x', null],
    ['{"a":1}{}', null],
    ['{"a":', null],
  ])('unmarshalJsonObject %s', (text, want) => {
    if (want === null) expect(() => unmarshalJsonObject(text)).toThrow(JsonValueError);
    else expect(Object.entries(unmarshalJsonObject(text))).toEqual(Object.entries(want));
  });
});

describe('parseSetLiteralInto (--set-literal)', () => {
  it.each<[string, GoMap]>([
    ['a=b,c=d', { a: 'b,c=d' }],
    ['a.b=x=y,z', { a: { b: 'x=y,z' } }],
    ['a={1,2}', { a: '{1,2}' }],
    ['a=true', { a: 'true' }],
    ['a=12', { a: '12' }],
    ['a=', { a: '' }],
    ['a=back\\slash\\,', { a: 'back\\slash\\,' }],
    ['a\\.b=1', { 'a\\': { b: '1' } }],
    ['list[1]=x,y', { list: [null, 'x,y'] }],
    ['list[0].k=v', { list: [{ k: 'v' }] }],
    ['m[0][1]=v', { m: [[null, 'v']] }],
    ['a,b=c', { 'a,b': 'c' }],
  ])('%s', (expr, want) => {
    expect(literal(expr)).toEqual(want);
  });

  it('later expressions keep siblings', () => {
    expect(literal('a.b=1', 'a.c=2', 'a.b=3')).toEqual({ a: { b: '3', c: '2' } });
  });

  it.each<[string, string]>([
    ['name', 'key "name" has no value'],
    ['a[x]=1', 'error parsing index: strconv.Atoi: parsing "x": invalid syntax'],
    ['a[1', 'error parsing index: EOF'],
    ['a[-1]=1', 'negative -1 index not allowed'],
    ['a[65537]=1', 'index of 65537 is greater than maximum supported index of 65536'],
    ['a[0]z=1', "unexpected data at end of array index: ['z']"],
    [`${'a.'.repeat(31)}b=1`, 'value name nested level is greater than maximum supported nested level of 30'],
  ])('%s fails: %s', (expr, message) => {
    expect(() => literal(expr)).toThrow(new StrvalsError(message));
  });

  it('fails on a type clash like Helm (interface conversion)', () => {
    expect(() => literal('a=x', 'a.b=y')).toThrow(new StrvalsError('unable to parse key: interface conversion: interface {} is string, not map[string]interface {}'));
    expect(() => literal('a=x', 'a[0]=y')).toThrow(new StrvalsError('unable to parse key: interface conversion: interface {} is string, not []interface {}'));
  });
});

describe('parseSetFileInto (--set-file)', () => {
  const files = { 'a.txt': { content: 'A\n' }, 'b,c.txt': { content: 'BC' }, 'dir': { error: 'read dir: is a directory' } };

  it.each<[string, GoMap]>([
    ['x=a.txt', { x: 'A\n' }],
    ['x.y=a.txt,z=b\\,c.txt', { x: { y: 'A\n' }, z: 'BC' }],
    ['x={a.txt,b\\,c.txt}', { x: ['A\n', 'BC'] }],
    ['x[1]=a.txt', { x: [null, 'A\n'] }],
    ['x=', { x: '' }],
  ])('%s', (expr, want) => {
    const out: GoMap = {};
    parseSetFileInto(expr, out, setFileReader(files));
    expect(out).toEqual(want);
  });

  it.each<[string, string]>([
    ['x=missing.txt', 'open missing.txt: no such file or directory'],
    ['x=dir', 'read dir: is a directory'],
    ['x={a.txt,missing.txt}', 'open missing.txt: no such file or directory'],
    ['x', 'key "x" has no value'],
  ])('%s fails: %s', (expr, message) => {
    expect(() => parseSetFileInto(expr, {}, setFileReader(files))).toThrow(new StrvalsError(message));
  });

  it('lists the paths to read, escapes resolved, up to the first syntax error', () => {
    expect(setFilePaths(['a=x.txt,b={y.txt,z\\,1.txt}', 'c[0]=w.txt'])).toEqual(['x.txt', 'y.txt', 'z,1.txt', 'w.txt']);
    expect(setFilePaths(['a=x.txt', 'broken', 'c=never.txt'])).toEqual(['x.txt']);
  });

  it.each<[string, ReturnType<typeof setFileSource>]>([
    ['values/a.txt', { kind: 'file' }],
    ['/abs/a.txt', { kind: 'file' }],
    [' - ', { kind: 'stdin' }],
    ['https://example.org/a.txt', { kind: 'url' }],
    ['OCI://registry/x', { kind: 'url' }],
    ['file:///tmp/a', { kind: 'file' }],
    ['c:rel%zz', { kind: 'file' }],
    ['100%.txt', { kind: 'error', error: 'parse "100%.txt": invalid URL escape "%.t"' }],
    ['a%4', { kind: 'error', error: 'parse "a%4": invalid URL escape "%4"' }],
    ['a.txt#%zz', { kind: 'error', error: 'parse "a.txt#%zz": invalid URL escape "%zz"' }],
    ['a%20b.txt', { kind: 'file' }],
    ['1:x', { kind: 'error', error: 'parse "1:x": first path segment in URL cannot contain colon' }],
    [':x', { kind: 'error', error: 'parse ":x": missing protocol scheme' }],
    ['a\tb', { kind: 'error', error: 'parse "a\\tb": net/url: invalid control character in URL' }],
  ])('setFileSource(%j)', (p, want) => {
    expect(setFileSource(p)).toEqual(want);
  });
});
