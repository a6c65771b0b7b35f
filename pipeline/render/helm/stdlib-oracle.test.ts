/**
 * integration: the Go standard-library pieces `csp template` flags reproduce, compared with Go itself (Debian
 * golang-go): json.Decoder for `--set-json` values, filepath.Match for `--show-only`, url.Parse for `--set-file`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../core/run.js';
import { buildGoProgram } from '../../testing/go-oracle/oracle.js';
import { setFileSource } from './set-file.js';
import { showOnlyMatches } from './show-only.js';
import { decodeJsonPrefix } from './strvals-json.js';

const sourceDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'stdlib-oracle');

const jsonCases = [
  '1', '01', '0123', '-0', '1x', '1.', '-', '1e', '1.0e', '2E-2x', '1.5e+3,', '1e400', '-01',
  'tru', 'truex', 'nul', 'null,', 'false ', '  5',
  '"x"', '"é"x', '"\\ud800"', '"\\ud83d\\ude00"', '"a\\tb"', '"a\tb"', '"\\u00zz"', '"\\x"', '"unterminated',
  '{}', '[]', '{"a":1}x', '{"a":1,"a":2}', '{"a":}', '{,}', '[,]', '[1,]', '[1 2]', '[ 1 , {"a" : [ ] } ]x', '[[[]]]]',
  '{"a":[1,{"b":null}],"c":"d"},e=1', '{a:1}', "'x'",
];

const matchCases: Array<[string, string]> = [
  ['templates/*.yaml', 'templates/cm.yaml'], ['templates/*', 'templates/sub/cm.yaml'], ['*', 'a/b'], ['*/*', 'a/b'],
  ['templates/[a-c]*.yaml', 'templates/b.yaml'], ['templates/[^a-c]*.yaml', 'templates/b.yaml'], ['t?mplates/x', 'templates/x'],
  ['a*b*c', 'aXbYc'], ['a*b*c', 'aXbY/c'], ['\\*', '*'], ['[\\]]', ']'], ['[]', 'x'], ['[a-', 'a'], ['a\\', 'a'],
  ['**', 'ab'], ['*.yaml', '.yaml'], ['[é-ü]', 'ö'], ['a?c', 'aéc'], ['charts/*/templates/*', 'charts/sub/templates/x.yaml'],
];

const urlCases = [
  'values/a.txt', '/abs/a.txt', '100%.txt', 'a%4', 'a%41.txt', 'a.txt#%zz', 'a.txt#ok', 'a.txt?%zz', '1:x', ':x', '_a:b',
  'a\tb', 'a\u007fb', 'c:rel%zz', 'c:/x%zz', 'file:///tmp/a', 'dir/1:x', './1:x',
];

interface GoOut {
  json: Array<{ value: unknown; runes: number; err: boolean }>;
  match: boolean[];
  url: string[];
}

let go: GoOut;

beforeAll(async () => {
  const bin = await buildGoProgram(sourceDir, 'stdlib-oracle');
  const res = await run(bin, [], { cwd: sourceDir, input: JSON.stringify({ json: jsonCases, match: matchCases, url: urlCases }), timeoutMs: 60_000 });
  go = JSON.parse(res.stdout) as GoOut;
}, 300_000);

describe('Go standard library differential', () => {
  it.each(jsonCases.map((c, i) => [c, i] as const))('json.Decoder %j', (input, i) => {
    const want = go.json[i];
    let got: { value: unknown; runes: number; err: boolean };
    try {
      const r = decodeJsonPrefix(input);
      got = { value: r.value, runes: r.runes, err: false };
    } catch {
      got = { value: null, runes: 0, err: true };
    }
    expect(got).toEqual(want);
  });

  it.each(matchCases.map((c, i) => [...c, i] as const))('filepath.Match(%j, %j)', (pattern, name, i) => {
    expect(showOnlyMatches(pattern, name)).toBe(go.match[i]);
  });

  it.each(urlCases.map((c, i) => [c, i] as const))('url.Parse %j', (p, i) => {
    const source = setFileSource(p);
    expect(source.kind === 'error' ? source.error : '').toBe(go.url[i]);
  });
});
