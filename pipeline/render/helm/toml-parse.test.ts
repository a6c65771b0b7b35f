/** fromToml's TOML reader (TOML 1.0 examples) and its use from templates. */
import { describe, expect, it } from 'vitest';
import { GoNumber } from '../template/values.js';
import type { GoMap } from '../template/values.js';
import { formatHelmTemplate, renderChart } from './index.js';
import { chartFromFiles, chartYaml } from './test-charts.js';
import { parseToml, TomlError } from './toml-parse.js';

const i64 = (n: number): GoNumber => new GoNumber('int64', BigInt(n));

describe('parseToml', () => {
  it.each<[string, string, GoMap]>([
    ['scalars', 'a = 1\nb = -2.5\nc = true\nd = "x\\ty"\ne = \'C:\\\\raw\'\nf = 1_000\ng = 0xff\nh = 1e3', { a: i64(1), b: -2.5, c: true, d: 'x\ty', e: 'C:\\\\raw', f: i64(1000), g: i64(255), h: 1000 }],
    ['comments and blank lines', '# top\n\na = "b" # trailing\n', { a: 'b' }],
    ['dotted and quoted keys', 'a.b.c = 1\n"x y" = 2\nsite."google.com" = true', { a: { b: { c: i64(1) } }, 'x y': i64(2), site: { 'google.com': true } }],
    ['tables', '[server]\nhost = "h"\n[server.tls]\non = true\n[client]\nport = 8', { server: { host: 'h', tls: { on: true } }, client: { port: i64(8) } }],
    ['arrays over lines with trailing comma', 'a = [\n  1, # one\n  2,\n]\nb = [["x"], []]', { a: [i64(1), i64(2)], b: [['x'], []] }],
    ['inline tables', 'p = { x = 1, y.z = "w" }\ne = {}', { p: { x: i64(1), y: { z: 'w' } }, e: {} }],
    ['arrays of tables', '[[fruit]]\nname = "apple"\n[fruit.physical]\ncolor = "red"\n[[fruit]]\nname = "banana"', { fruit: [{ name: 'apple', physical: { color: 'red' } }, { name: 'banana' }] }],
    ['multi-line strings', 's = """\nline1\nline2 \\\n   joined"""\nl = \'\'\'\nraw \\n\'\'\'\nq = """a""""', { s: 'line1\nline2 joined', l: 'raw \\n', q: 'a"' }],
    ['date-times stay text', 'd = 1979-05-27T07:32:00Z\nt = 07:32:00', { d: '1979-05-27T07:32:00Z', t: '07:32:00' }],
  ])('%s', (_name, text, want) => {
    expect(parseToml(text)).toEqual(want);
  });

  it.each<[string, RegExp]>([
    ['a = 1\na = 2', /line 2: key "a" is already defined/],
    ['a = "unterminated', /line 1: unexpected EOF in string/],
    ['a = 1 b = 2', /line 1: expected a new line/],
    ['= 1', /invalid key character/],
    ['a = nope', /invalid value "nope"/],
  ])('rejects %j', (text, message) => {
    expect(() => parseToml(text)).toThrow(TomlError);
    expect(() => parseToml(text)).toThrow(message);
  });
});

describe('Helm functions the Sprig 3.2.3 set lacks', () => {
  it('fromToml and sha512sum work in templates; a TOML error lands under .Error', () => {
    const chart = chartFromFiles({
      'Chart.yaml': chartYaml('c'),
      'files/conf.toml': '[db]\nport = 5432\n',
      'templates/t.yaml': [
        'port: {{ (fromToml (.Files.Get "files/conf.toml")).db.port }}',
        'bad: {{ hasKey (fromToml "a = ") "Error" }}',
        'sum: {{ sha512sum "abc" | trunc 16 }}',
      ].join('\n'),
    });
    expect(formatHelmTemplate(renderChart(chart, { releaseName: 'r', namespace: 'n' }))).toBe(
      '---\n# Source: c/templates/t.yaml\nport: 5432\nbad: true\nsum: ddaf35a193617aba\n',
    );
  });
});
