/**
 * Test data: function calls compared against Go Sprig 3.2.3 by differential.test.ts. Arguments use the
 * oracle's typed JSON: plain numbers are float64, {$int}, {$int64}, {$strings}, {$bytes}, {$nil}.
 */
import type { OracleCase } from '../../testing/go-funcs/oracle.js';

const i = (n: number | string): unknown => ({ $int: String(n) });
const i64 = (n: number | string): unknown => ({ $int64: String(n) });
const strs = (...s: string[]): unknown => ({ $strings: s });
const bytes = (s: string): unknown => ({ $bytes: Buffer.from(s).toString('base64') });
const nil = { $nil: true };
const call = (fn: string, ...args: unknown[]): OracleCase => ({ fn, args });

const stringCases: OracleCase[] = [
  call('upper', 'hello wörld ß'), call('lower', 'HELLO İ'), call('title', 'hello world-foo_bar 3rd o\'neil'),
  call('title', 'ǆemal élan'), call('untitle', 'Hello World'), call('trim', '  \t x y \n'), call('trim', '\u00a0x\u00a0'),
  call('trimAll', '$', '$$5.00$'), call('trimall', 'ab', 'abcba'), call('trimSuffix', '-', 'name-'), call('trimSuffix', '', 'x'),
  call('trimPrefix', 'v', 'v1.2.3'), call('trunc', i(5), 'hello world'), call('trunc', i(-5), 'hello world'),
  call('trunc', i(63), 'short'), call('trunc', i(0), 'abc'), call('trunc', i(-20), 'abc'), call('trunc', i(2), 'héllo'),
  call('substr', i(0), i(3), 'abcdef'), call('substr', i(2), i(-1), 'abcdef'), call('substr', i(-1), i(2), 'abcdef'),
  call('substr', i(2), i(99), 'abcdef'), call('substr', i(4), i(2), 'abcdef'), call('substr', i(9), i(-1), 'abc'),
  call('repeat', i(3), 'ab'), call('nospace', ' a b\tc\n'), call('initials', 'Foo Bar baz'), call('swapcase', 'Hello wORLD'),
  call('snakecase', 'FirstName'), call('snakecase', 'HTTPServer2xxOK'), call('snakecase', 'Bld4Floor3rd'),
  call('kebabcase', 'NoHTTPS'), call('kebabcase', 'GO PATH'), call('camelcase', 'http_server'), call('camelcase', '__a_b'),
  call('camelcase', '__'), call('wrap', i(10), 'the quick brown fox jumps over'), call('wrapWith', i(5), '\t', 'Hello World'),
  call('wrap', i(3), 'abcdefgh ij'), call('contains', 'cat', 'concatenate'), call('contains', '', 'x'), call('hasPrefix', 'ab', 'abc'),
  call('hasSuffix', 'bc', 'abc'), call('quote', 'a"b\\c', 1.5, i(3), nil, true), call('quote', 'tab\there\u0001é😀'),
  call('quote'), call('squote', 'it', 2, nil, i(7)), call('cat', 'a', nil, 1.25, i(2), true, [1, 'x']),
  call('indent', i(2), 'a\n\nb'), call('nindent', i(4), 'x\ny'), call('indent', i(0), 'z'), call('replace', 'a', 'b', 'banana'),
  call('replace', '', '-', 'abc'), call('plural', 'one', 'many', i(1)), call('plural', 'one', 'many', i(2)),
  call('toString', 1.5), call('toString', i(3)), call('toString', 1000000), call('toString', nil), call('toString', true),
  call('toString', bytes('raw')), call('toString', [1, 'a', nil]), call('toString', { b: 1, a: [true] }),
  call('toString', 0.00001), call('toString', 123456789), call('toString', -0.5), call('toString', 1e21),
  call('split', '/', 'a/b/c'), call('splitList', ',', 'a,b,,c'), call('splitList', '', 'abc'), call('splitn', '/', i(2), 'a/b/c'),
  call('splitn', '/', i(0), 'a/b'), call('toStrings', [1, 'a', nil, true]), call('toStrings', 'x'), call('toStrings', nil),
  call('join', '-', [1, 'a', nil, 2.5]), call('join', ',', strs('x', 'y')), call('join', '+', 'solo'),
  call('sortAlpha', ['b', 'a', 'C', 1]), call('sortAlpha', 'x'), call('abbrev', i(5), 'hello world'), call('abbrev', i(3), 'abc def'),
  call('abbrevboth', i(5), i(10), '1234 5678 9123'), call('b64enc', 'hello wörld'), call('b64dec', 'aGVsbG8='),
  call('b64dec', 'not base64!'), call('b64dec', 'aGVsbG8'), call('b32enc', 'hello'), call('b32dec', 'NBSWY3DP'), call('b32dec', 'xyz'),
  call('sha256sum', 'hello'), call('sha1sum', 'hello'), call('adler32sum', 'hello world'), call('regexQuoteMeta', 'a.b*c[d]'),
];

const listCases: OracleCase[] = [
  call('list', 1, 'a', nil, i(3)), call('tuple'), call('append', [1, 2], 3), call('append', strs('a'), 'b'), call('prepend', [1], 0),
  call('first', [1, 2]), call('first', []), call('first', strs('x', 'y')), call('first', nil), call('first', 'str'),
  call('mustFirst', { a: 1 }), call('last', [1, 2, 3]), call('rest', [1, 2, 3]), call('rest', []), call('initial', [1, 2, 3]),
  call('reverse', [1, 'a', true]), call('uniq', [1, 1, 'a', 'a', i(1), nil, nil]), call('without', [1, 2, 3, 2], 2),
  call('without', [1, 2, 3], 1, 3), call('has', 2, [1, 2]), call('has', i(2), [1, 2]), call('has', 'a', nil), call('has', 1, 'x'),
  call('compact', [0, 1, '', 'a', nil, false, [], {}]), call('slice', [1, 2, 3, 4], i(1), i(3)), call('slice', [1, 2, 3], i(1)),
  call('slice', [], i(0)), call('slice', [1, 2], i(3)), call('slice', strs('a', 'b', 'c'), i(1)), call('concat', [1], strs('a'), []),
  call('concat', [1], 'x'), call('chunk', i(2), [1, 2, 3, 4, 5]), call('chunk', i(3), [1, 2, 3]), call('until', i(3)),
  call('until', i(-3)), call('untilStep', i(0), i(10), i(3)), call('untilStep', i(10), i(0), i(-4)), call('untilStep', i(0), i(5), i(0)),
  call('seq', i(3)), call('seq', i(-2)), call('seq', i(2), i(5)), call('seq', i(5), i(2)), call('seq', i(0), i(2), i(8)),
  call('seq', i(8), i(-3), i(0)), call('seq', i(8), i(3), i(0)), call('seq'),
];

const dictCases: OracleCase[] = [
  call('dict', 'a', 1, 'b'), call('dict', i(1), 'x', nil, 'y'), call('get', { a: 1 }, 'a'), call('get', { a: 1 }, 'b'),
  call('set', { a: 1 }, 'b', 2), call('unset', { a: 1, b: 2 }, 'a'), call('hasKey', { a: nil }, 'a'), call('hasKey', {}, 'a'),
  call('pluck', 'a', { a: 1 }, { b: 2 }, { a: 3 }), call('pick', { a: 1, b: 2, c: 3 }, 'a', 'c', 'z'), call('omit', { a: 1, b: 2 }, 'a'),
  call('merge', { a: 1, n: { x: 1 } }, { a: 2, b: 3, n: { y: 2 } }), call('merge', { a: '', b: false, c: 0 }, { a: 'x', b: true, c: 5 }),
  call('merge', { l: [1] }, { l: [2, 3], m: [4] }), call('merge', { a: 'keep' }, { a: { deep: 1 } }), call('merge', { a: { x: 1 } }, { a: 'str' }),
  call('mergeOverwrite', { a: 1, n: { x: 1, z: 0 } }, { a: 2, n: { y: 2, z: nil } }), call('mergeOverwrite', { a: 'x' }, { a: '' }),
  call('mergeOverwrite', { l: [1, 2] }, { l: [] }), call('mergeOverwrite', { a: 'x' }, { a: { b: 1 } }), call('mustMerge', { a: nil }, { a: 1 }),
  call('merge', { a: nil }, { a: { b: 1 } }), call('merge', {}, { a: [] }),
  call('dig', 'a', 'b', 'def', { a: { b: 'found' } }), call('dig', 'a', 'x', 'def', { a: { b: 1 } }), call('dig', 'a', 'b', 'd', { a: 'str' }),
  call('dig', 'a', 'd', 'notamap'), call('dig', 1, 'd', { a: 1 }), call('deepCopy', { a: [1, { b: 2 }] }), call('deepCopy', nil),
  call('keys', { b: 1, a: 2 }), call('values', { b: 1, a: 2 }), call('default', 'd', ''), call('default', 'd', 0), call('default', 'd', 'x'),
  call('default', 'd', nil), call('default', 'd'), call('default', 'd', false), call('default', 'd', []), call('default', 'd', {}),
  call('default', 'd', i(0)), call('default', 'd', [0]), call('empty', {}), call('empty', ' '), call('empty', i64(0)), call('empty', bytes('')),
  call('coalesce', nil, '', 0, 'x', 'y'), call('coalesce', nil, ''), call('all', 1, 'a', true), call('all', 1, ''), call('any', 0, '', 'x'),
  call('any'), call('ternary', 'yes', 'no', true), call('ternary', 'yes', 'no', false),
];

const typeCases: OracleCase[] = [
  call('typeOf', 1.5), call('typeOf', i(1)), call('typeOf', i64(1)), call('typeOf', nil), call('typeOf', []), call('typeOf', {}),
  call('typeOf', strs('a')), call('typeOf', bytes('x')), call('typeIs', 'string', 'x'), call('typeIsLike', 'float64', 2),
  call('kindOf', []), call('kindOf', {}), call('kindOf', nil), call('kindOf', 'x'), call('kindOf', i(1)), call('kindIs', 'map', {}),
  call('kindIs', 'slice', strs()), call('deepEqual', [1, { a: 'b' }], [1, { a: 'b' }]), call('deepEqual', 1, i(1)),
  call('deepEqual', strs('a'), ['a']), call('int', '42'), call('int', '0x1F'), call('int', '010'), call('int', '1.00'), call('int', '1.5'),
  call('int', 3.99), call('int', -3.99), call('int', true), call('int', nil), call('int', 'abc'), call('int', '1_000'), call('int', i64(7)),
  call('int64', '9223372036854775807'), call('int64', '9223372036854775808'), call('int64', 1e19), call('int64', '-0b101'),
  call('float64', '1.5e3'), call('float64', 'inf'), call('float64', 'x'), call('float64', i(3)), call('float64', '1_000.5'),
  call('float64', '0x1p-2'), call('atoi', '12'), call('atoi', ' 12'), call('atoi', '+7'), call('atoi', '0x10'), call('toDecimal', '0777'),
  call('toDecimal', i(777)), call('toDecimal', 'z'), call('toDecimal', 777),
];

const mathCases: OracleCase[] = [
  call('add', 1, i(2), '3', 1.9), call('add'), call('add1', 1.5), call('sub', 10, i(3)), call('mul', 2, 3, '4'), call('mul', 5),
  call('div', 7, 2), call('div', -7, 2), call('div', 1, 0), call('mod', -7, 3), call('mod', 1, 0), call('max', 1, 5, '3'),
  call('biggest', -1, -5), call('min', 4, '2', 9), call('maxf', 1.5, '2.5', 0), call('minf', 1.5, -0.25), call('maxf', 1, 'nan'),
  call('floor', 1.7), call('floor', '-1.2'), call('ceil', 1.2), call('round', 3.14159, i(2)), call('round', 2.5, i(0)),
  call('round', -2.5, i(0)), call('round', 1.2345, i(3), 0.3), call('addf', 0.1, 0.2), call('addf', 1, '2.5', i(3)),
  call('add1f', 0.1), call('subf', 1, 0.9), call('subf', 10), call('mulf', 0.1, 3), call('mulf', 1.1, 1.1, 1.1), call('divf', 10, 3),
  call('divf', 1, 3, 3), call('divf', 2, 3), call('divf', -2, 3), call('divf', 1, 0), call('add', 2 ** 63, 1),
  call('mul', '4611686018427387904', 4), call('add', 1e300), call('addf', 1e-7, 1e-8),
];

const regexCases: OracleCase[] = [
  call('regexMatch', '^[a-z]+\\d*$', 'abc123'), call('regexMatch', '(', 'x'), call('mustRegexMatch', '(', 'x'),
  call('regexMatch', '\\p{Greek}+', 'αβγ'), call('regexMatch', '(?i)HELLO', 'say hello'), call('regexMatch', 'a.c', 'a\nc'),
  call('regexMatch', '(?s)a.c', 'a\nc'), call('regexMatch', '^b$', 'a\nb\nc'), call('regexMatch', '(?m)^b$', 'a\nb\nc'),
  call('regexMatch', '\\Aab\\z', 'ab'), call('regexMatch', '[[:alpha:]]+[[:digit:]]', 'ab1'), call('regexMatch', '\\s', '\u000b'),
  call('regexMatch', '\\S+', '\u000b'), call('regexMatch', '[^a]', '\n'), call('regexMatch', 'x{2,3}', 'xx'),
  // Catastrophic backtracking for a backtracking engine; linear (and false) under RE2 like Go.
  call('regexMatch', '^(a+)+$', `${'a'.repeat(48)}!`), call('regexFind', '(x+x+)+y', 'x'.repeat(5000)),
  call('regexMatch', '(?=a)', 'a'), call('regexMatch', '\\1', 'a'), call('regexMatch', 'a**', 'a'), call('regexMatch', '\\Qa.b\\E', 'a.b'),
  call('regexFind', '[0-9]+', 'abc 123 456'), call('regexFind', 'z', 'abc'), call('regexFind', '(', 'x'), call('mustRegexFind', '[', 'x'),
  call('regexFindAll', 'a.', 'abacad', i(-1)), call('regexFindAll', 'a.', 'abacad', i(2)), call('regexFindAll', 'x*', 'axxb', i(-1)),
  call('regexFindAll', 'q', 'abc', i(-1)), call('regexFindAll', '', 'héllo', i(-1)),
  call('regexReplaceAll', 'a(x*)b', '-ab-axxb-', '${1}W'), call('regexReplaceAll', 'a(x*)b', '-ab-axxb-', '$1W'),
  call('regexReplaceAll', '(?P<first>\\w+)\\s(?P<last>\\w+)', 'Jane Doe', '$last, $first'), call('regexReplaceAll', 'a*', 'baaac', 'X'),
  call('regexReplaceAll', '', 'abc', '-'), call('regexReplaceAll', 'b', 'abc', '$$'), call('regexReplaceAll', 'b', 'abc', '$'),
  call('regexReplaceAll', '(b)', 'abc', '${1'), call('regexReplaceAll', '(b)', 'abc', '$10'), call('regexReplaceAll', '\\.', 'a.b.c', '-'),
  call('regexReplaceAllLiteral', 'a(x*)b', '-ab-axxb-', '${1}'), call('regexReplaceAll', '[', 'x', 'y'),
  call('regexReplaceAll', '^v', 'v1.2.3', ''), call('regexReplaceAll', '(?i)V', 'v1V', 'x'), call('regexReplaceAll', '\\s+', 'a \t b\n c', ' '),
  call('regexSplit', 'a', 'banana', i(-1)), call('regexSplit', 'a', 'banana', i(2)), call('regexSplit', 'x*', 'axbc', i(-1)),
  call('regexSplit', ',', '', i(-1)), call('regexSplit', '', 'abc', i(-1)), call('regexSplit', 'a', 'banana', i(0)),
  call('regexReplaceAll', '[[:^digit:]]', 'a1b2', ''), call('regexMatch', '[\\d-z]', '-'), call('regexMatch', 'a{1001}', 'a'),
  call('regexMatch', '\\x41\\x{42}\\101', 'ABA'), call('regexMatch', '[\\S]', ' '), call('regexMatch', '(?i)[a-c]+', 'ABC'),
  call('regexMatch', 'a(?i)b', 'aB'), call('regexMatch', 'a(?i)b', 'AB'), call('regexMatch', '(?U)a+', 'aaa'),
  call('regexFind', '(?U)a+', 'aaa'), call('regexFind', 'a+?', 'aaa'), call('regexFind', '\\bfoo\\b', 'a foo.'),
  call('regexMatch', '(?<n>a)', 'a'), call('regexMatch', '.', '\r'),
];

const semverCases: OracleCase[] = [
  call('semverCompare', '>=1.20.0', 'v1.28.3'), call('semverCompare', '>=1.20.0-0', 'v1.28.3-gke.100'),
  call('semverCompare', '>=1.20.0', 'v1.28.3-gke.100'), call('semverCompare', '<1.19', '1.18.20'), call('semverCompare', '~1.2.3', '1.2.9'),
  call('semverCompare', '~1.2.3', '1.3.0'), call('semverCompare', '~1', '1.9.0'), call('semverCompare', '^1.2.3', '1.9.9'),
  call('semverCompare', '^0.2.3', '0.2.9'), call('semverCompare', '^0.2.3', '0.3.0'), call('semverCompare', '^0.0.3', '0.0.4'),
  call('semverCompare', '1.2 - 1.4.5', '1.4.5'), call('semverCompare', '1.2 - 1.4.5', '1.4.6'), call('semverCompare', '>= 1.2, < 3.0.0 || >= 4.2.3', '4.5.0'),
  call('semverCompare', '1.2.x', '1.2.7'), call('semverCompare', '1.x', '2.0.0'), call('semverCompare', '*', '3.0.0'),
  call('semverCompare', '!=1.2.3', '1.2.3'), call('semverCompare', '!=1.2.x', '1.3.0'), call('semverCompare', '>1.2', '1.2.5'),
  call('semverCompare', '>1.2', '1.3.0'), call('semverCompare', '<=1.2', '1.2.9'), call('semverCompare', '=1.2.3', 'v1.2.3+meta'),
  call('semverCompare', '>=1.0.0-alpha.1', '1.0.0-alpha.beta'), call('semverCompare', '>1.0.0-alpha', '1.0.0-alpha.1'),
  call('semverCompare', '<1.0.0-rc.1', '1.0.0-rc.1a'), call('semverCompare', 'bad constraint', '1.0.0'), call('semverCompare', '>=1.0', 'not a version'),
  call('semverCompare', '', '1.0.0'), call('semverCompare', '>=1.20.0-0', 'v1.21.0'), call('semverCompare', '~> 2.1', '2.1.5'),
  call('semverCompare', '=>1.0 =<2.0', '1.5.0'), call('semver', 'v1.2.3-rc.1+build.5'), call('semver', '1.2'), call('semver', '01.2.3'),
  call('semver', '1.2.3-01'), call('semver', 'x.y'),
];

const jsonCases: OracleCase[] = [
  call('toJson', { b: [1, 1.5, 1e21, 1e-7, '<a&b>'], a: nil, c: { z: true } }), call('toJson', 'x\u2028y\ttab'), call('toJson', bytes('hi')),
  call('toJson', 100000000000000000000), call('toJson', 'nan'), call('toPrettyJson', { a: [1, { b: {} }], c: [] }),
  call('toRawJson', { html: '<b>&</b>' }), call('mustToRawJson', ['a<b']), call('fromJson', '{"a":[1,2.5,"x",null,true],"b":{}}'),
  call('fromJson', '[1'), call('mustFromJson', '{"a":}'), call('mustFromJson', ''), call('mustFromJson', 'tru'), call('mustFromJson', '1 2'),
  call('mustFromJson', '"\\u00e9\\n"'), call('fromJson', '1e400'),
];

const miscCases: OracleCase[] = [
  call('base', '/a/b/c.txt'), call('base', ''), call('base', '/'), call('base', 'a/b/'), call('dir', '/a/b/c'), call('dir', 'c'),
  call('dir', '/a/'), call('clean', 'a//b/../c/.'), call('clean', '/../x'), call('clean', '../../a/..'), call('ext', 'a/b.tar.gz'),
  call('ext', 'a.b/c'), call('isAbs', '/x'), call('osBase', '/a/b'), call('urlParse', 'https://user:pw@example.com:8443/a%20b/c?x=1&y=2#frag'),
  call('urlParse', 'mailto:joe@example.com'), call('urlParse', '/relative/path?q'), call('urlJoin', { scheme: 'https', host: 'h:1', path: '/p q', query: 'a=b', fragment: 'f' }),
  call('urlJoin', { host: 'x', path: 'rel' }), call('urlJoin', { scheme: 'mailto', opaque: 'joe@x' }), call('urlJoin', { scheme: 'http', host: 'h', userinfo: 'u:p' }),
  call('derivePassword', { $uint32: '1' }, 'long', 'password', 'user', 'example.com'), call('derivePassword', { $uint32: '3' }, 'pin', 'pw', 'ü', 'site'),
  call('derivePassword', { $uint32: '1' }, 'nope', 'a', 'b', 'c'), call('decryptAES', 'secretkey', 'not-base64'), call('encryptAES', 'k', ''),
  call('duration', '95'), call('duration', i64(3600)), call('duration', i(95)), call('durationRound', '2h5m'), call('durationRound', i64(90000000000)),
  call('durationRound', '-49h'), call('durationRound', 'x'), call('durationRound', '400d'), call('duration', '-1'), call('fail', 'boom'),
  call('htmlDateInZone', i64(1700000000), 'UTC'), call('dateInZone', '2006-01-02T15:04:05Z07:00 Mon Jan _2 3PM .000', i64(1700000000), 'UTC'),
  call('date', 'Monday, 02-Jan-06 15:04:05.999 MST', i64(1700000123)),
];

const helmCases: OracleCase[] = [
  { helm: 'toYaml', value: { b: 1, a: 'x', _u: 1, '1': 2, B: 3, a2: 4, a10: 5, A: 6, 'a-1': 7, a01: 8, a1: 9 } },
  { helm: 'toYaml', value: ['yes', 'no', 'on', 'off', 'y', 'n', 'true', 'True', 'null', '~', '', '123', '1.10', '0x1F', '1e3', '1_000', '-', '.5', '+1'] },
  { helm: 'toYaml', value: ['2001-12-14', '2001-12-14T21:59:43.10Z', '2001-02-30', '12:30', '1:20:30', '190:20:30.15', '0b101', '-0b1', '0o17', '017'] },
  { helm: 'toYaml', value: [1, 1.5, 1000000, 1e21, 1e20, 0.00001, 123456789.5, -0.0, 1e-7, 2 ** 53 + 2, 2 ** 64, 3.0] },
  { helm: 'toYaml', value: { multi: 'line1\nline2', trail: 'a\n', keep: 'a\n\n', lead: '  indented\nx', only: '\n', crlf: 'a\r\nb', tabs: 'a\tb\nc' } },
  { helm: 'toYaml', value: { long: 'word '.repeat(30).trim(), longq: 'x: '.repeat(40), url: 'https://example.com/' + 'a'.repeat(100) } },
  { helm: 'toYaml', value: { s: '- item', c: 'a: b', h: 'a #b', h2: 'a#b', q: "it's", dq: 'say "hi"', star: '*x', amp: '&a', pct: '%x', at: '@x', bt: '`x' } },
  { helm: 'toYaml', value: { ex: '!tag', gt: '>x', pipe: '|x', br: '[a]', cb: '{a}', comma: 'a,b', qm: '?x', qs: '? x', col: ':x', dash: '-x', dots: '...', three: '---x' } },
  { helm: 'toYaml', value: { sp: ' lead', tr: 'trail ', emoji: '😀', nel: 'a\u0085b', bom: '\ufeffx', nbsp: 'a\u00a0b', ctrl: 'a\u0001b', uni: 'héllo wörld', ls: 'a\u2028b' } },
  { helm: 'toYaml', value: { e: {}, l: [], n: nil, nested: { deep: { deeper: [1, [2, [3, {}]], { k: [] }] } }, lm: [{ a: 1, b: [1, 2] }, [], {}] } },
  { helm: 'toYaml', value: { 'multi\nkey': 1, ['k'.repeat(130)]: 2, 'yes': 3, '': 4, ' sp': 5, 'a: b': 6 } },
  { helm: 'toYaml', value: 'plain root' },
  { helm: 'toYaml', value: 'multi\nroot\n' },
  { helm: 'toYaml', value: nil },
  { helm: 'toYaml', value: [] },
  { helm: 'toYaml', value: 42 },
  { helm: 'toYaml', value: { int: i(5), i64: i64(-9), bytes: bytes('hi'), strs: strs('a', 'yes') } },
  { helm: 'toYaml', value: { ws: 'a  b   c '.repeat(12) + 'end', dq: 'x\ty '.repeat(30) } },
  { helm: 'toYaml', value: { listOfLists: [[1, 2], ['a', ['b']]], k: 'v' } },
  { helm: 'toYamlPretty', value: { b: [1, 2, { c: 'x', d: [] }], a: 1000000, s: 'yes', m: 'a\nb', e: {} } },
  { helm: 'toYamlPretty', value: [{ a: 1 }, 'x', 1.5] },
  { helm: 'toJson', value: { b: '<&>', a: [1e21, 0.1] } },
  { helm: 'toToml', value: { b: 1, a: 'x', t: true, f: 1.5, big: 1e21, neg: -0.5 } },
  { helm: 'toToml', value: { name: 'x', server: { port: 8080, hosts: ['a', 'b'], tls: { enabled: false } }, z: 'last' } },
  { helm: 'toToml', value: { 'with space': 'q"uote', 'dotted.key': 'back\\slash', nl: 'a\nb\tc', uni: 'héllo', ctrl: 'a\u0001b' } },
  { helm: 'toToml', value: { items: [{ a: 1 }, { a: 2, b: { c: 3 } }], empty: {}, list: [] } },
  { helm: 'toToml', value: { ints: [1, 2, 3], floats: [1.5, 2.0], mixed: ['a', 1] } },
  { helm: 'toToml', value: { n: nil, keep: 'x', inner: { n: nil, v: 1 } } },
  { helm: 'toToml', value: { nested: { deeper: { deepest: { x: 1 } }, y: 2 }, arr: [[1, 2], [3]] } },
  { helm: 'toToml', value: ['not', 'a', 'map'] },
  { helm: 'parseYaml', text: 'a: yes\nb: on\nc: 012\nd: 0x1F\ne: 1_000\nf: 1e3\ng: .5\nh: ~\ni: 2001-12-14\nj: "yes"\nk: 1.0\nl: -0\nm: 9007199254740993\n' },
  { helm: 'parseYaml', text: 'base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\nlist: [*b, 2]\n1: int key\n1.5: float key\ntrue: bool key\n' },
  { helm: 'parseYaml', text: 'multi:\n  - <<: [{a: 1}, {a: 2, b: 2}]\n    c: 3\nblock: |\n  line1\n  line2\nfolded: >\n  a\n  b\n' },
  { helm: 'parseYaml', text: 'a: 1\na: 2\n' },
  { helm: 'parseYaml', text: '' },
  { helm: 'parseYaml', text: '- a\n- b: [1, 2]\n' },
  { helm: 'parseYaml', text: 'bin: !!binary aGVsbG8=\nstr: !!str 123\ncustom: !foo bar\nf: !!float 1\n' },
  { helm: 'parseYaml', text: 'x: 0b101\ny: +12\nz: 1:20\nw: .inf\n' },
  // Alias bomb ("billion laughs"): yaml.v2 refuses it (excessive aliasing); many plain aliases are fine.
  { helm: 'parseYaml', text: ['a0: &a0 [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`)].join('\n') },
  { helm: 'parseYaml', text: `base: &b {k: v}\nlist: [${Array(300).fill('*b').join(', ')}]\n` },
];

/** Every differential case, grouped by family (helm cases last). */
export const differentialCases: OracleCase[] = [
  ...stringCases, ...listCases, ...dictCases, ...typeCases, ...mathCases, ...regexCases, ...semverCases, ...jsonCases, ...miscCases,
  ...helmCases,
];
