/** `--set` parsing: cases from Helm's pkg/strvals/parser_test.go semantics. */
import { describe, expect, it } from 'vitest';
import { GoNumber } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';
import { parseSetInto, parseSetStringInto, StrvalsError } from './strvals.js';

const i64 = (n: number): GoNumber => new GoNumber('int64', BigInt(n));

function parse(...exprs: string[]): GoMap {
  const out: GoMap = {};
  for (const e of exprs) parseSetInto(e, out);
  return out;
}

describe('parseSetInto', () => {
  it.each<[string, GoMap]>([
    ['name1=value1', { name1: 'value1' }],
    ['name1=value1,name2=value2', { name1: 'value1', name2: 'value2' }],
    ['name1=value1,name2=value2,', { name1: 'value1', name2: 'value2' }],
    ['name1=,name2=value2', { name1: '', name2: 'value2' }],
    ['name1=', { name1: '' }],
    ['leading_zeros=00009', { leading_zeros: '00009' }],
    ['zero_int=0', { zero_int: i64(0) }],
    ['long_int=1234567890', { long_int: i64(1234567890) }],
    ['negative=-12', { negative: i64(-12) }],
    ['too_big=99999999999999999999', { too_big: '99999999999999999999' }],
    ['float=1.5', { float: '1.5' }],
    ['boolean=true,other=FALSE', { boolean: true, other: false }],
    ['is_null=null', { is_null: null }],
    ['is_null=NULL', { is_null: null }],
    ['name1.name2=value1', { name1: { name2: 'value1' } }],
    ['name1.name2=1,name1.name3=two', { name1: { name2: i64(1), name3: 'two' } }],
    ['list={one,two,three}', { list: ['one', 'two', 'three'] }],
    ['list={1,true,null},x=y', { list: [i64(1), true, null], x: 'y' }],
    ['name1[0]=foo', { name1: ['foo'] }],
    ['name1[2]=foo', { name1: [null, null, 'foo'] }],
    ['list[0].foo=bar,list[0].baz=qux', { list: [{ foo: 'bar', baz: 'qux' }] }],
    ['nested[0][1]=1', { nested: [[null, i64(1)]] }],
    ['name1=one\\,two', { name1: 'one,two' }],
    ['name1\\.name2=x', { 'name1.name2': 'x' }],
    ['a=b=c', { a: 'b=c' }],
    ['a.b.c=d', { a: { b: { c: 'd' } } }],
    ['url=https://example.org/a?b=c', { url: 'https://example.org/a?b=c' }],
  ])('%s', (expr, want) => {
    expect(parse(expr)).toEqual(want);
  });

  it('applies later expressions over earlier ones, keeping siblings', () => {
    expect(parse('a.b=1,a.c=2', 'a.b=3')).toEqual({ a: { b: i64(3), c: i64(2) } });
    expect(parse('list[0]=a,list[1]=b', 'list[1]=c')).toEqual({ list: ['a', 'c'] });
  });

  it.each<[string, string]>([
    ['name1,name2=', 'key "name1" has no value (cannot end with ,)'],
    ['name1=value1,name2', 'key "name2" has no value'],
    ['name1=value1,,,,name2=value2,', 'key "" has no value (cannot end with ,)'],
    ['list={a,b', "list must terminate with '}'"],
    ['a[-1]=x', 'negative -1 index not allowed'],
    ['a[65537]=x', 'index of 65537 is greater than maximum supported index of 65536'],
    ['a[x]=1', 'error parsing index: strconv.Atoi: parsing "x": invalid syntax'],
    ['a[0]x=1', "unexpected data at end of array index: ['x']"],
    ['a[0]xy=1', "unexpected data at end of array index: ['x' 'y']"],
    ['a=null,a.b=1', 'unable to parse key: interface conversion: interface {} is nil, not map[string]interface {}'],
    ['a=x,a.b=y', 'unable to parse key: interface conversion: interface {} is string, not map[string]interface {}'],
    [`${'a.'.repeat(31)}b=1`, 'value name nested level is greater than maximum supported nested level of 30'],
  ])('%s fails: %s', (expr, message) => {
    expect(() => parse(expr)).toThrow(new StrvalsError(message));
  });

  it('keeps __proto__ as an ordinary key', () => {
    const out = parse('__proto__.polluted=yes');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, GoValue>).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(['__proto__']);
  });

  it('--set-string keeps every value a string', () => {
    const out: GoMap = {};
    parseSetStringInto('a=1,b=true,c=null,d={2,x},e[0]=007', out);
    expect(out).toEqual({ a: '1', b: 'true', c: 'null', d: ['2', 'x'], e: ['007'] });
  });
});

