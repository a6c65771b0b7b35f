import { describe, expect, it } from 'vitest';
import { createTemplateSet, GoStruct, TemplateError } from './index.js';
import type { FuncMap, GoValue, TemplateSet } from './index.js';

function render(text: string, data: GoValue, opts: Parameters<typeof createTemplateSet>[0] = {}): string {
  const set = createTemplateSet(opts);
  set.parse('t', text);
  return set.execute('t', data);
}

function errorOf(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

describe('createTemplateSet', () => {
  it.each([
    ['{{ .a }}', { a: 1000000 }, '1e+06'],
    ['{{ .a }}', { a: 100000 }, '100000'],
    ['{{ .a }}', { a: 1234567 }, '1.234567e+06'],
    ['{{ .a }}', { a: 0.00001 }, '1e-05'],
    ['{{ 63 }}', {}, '63'],
    ['{{ .l }}', { l: ['a', null, 2] }, '[a <nil> 2]'],
    ['{{ .m }}', { m: { b: 2, a: 1 } }, 'map[a:1 b:2]'],
    ['{{ range $k, $v := .m }}{{ $k }}{{ $v }}{{ end }}', { m: { z: 1, a: 2 } }, 'a2z1'],
    ['{{ if and .a (or .b .c) }}y{{ else }}n{{ end }}', { a: 1, c: 'x' }, 'y'],
    ['{{- "a" -}} {{ "b" }}', {}, 'ab'],
    ['{{ (index .l 0).name }}', { l: [{ name: 'n' }] }, 'n'],
  ] as [string, GoValue, string][])('renders %s', (text, data, want) => {
    expect(render(text, data)).toBe(want);
  });

  it.each([
    ['default', '<no value>'],
    ['zero', '<no value>'],
  ] as const)('missingkey=%s prints a missing key as <no value>', (mk, want) => {
    expect(render('{{ .x }}', {}, { missingKey: mk })).toBe(want);
  });

  it('missingkey=zero fails on a chain through a missing parent, default does not', () => {
    expect(render('{{ .a.b }}', {})).toBe('<no value>');
    const e = errorOf(() => render('{{ .a.b }}', {}, { missingKey: 'zero' }));
    // Go positions a field chain at its last segment (parse.go operand: the chain starts at the next field).
    expect(e.message).toBe('template: t:1:5: executing "t" at <.a.b>: nil pointer evaluating interface {}.b');
    expect(e.code).toBe('TEMPLATE_EXEC_ERROR');
    expect(e.location).toEqual({ file: 't', line: 1, column: 6 });
  });

  it('reports parse errors with Go text, code and line', () => {
    const set = createTemplateSet();
    const e = errorOf(() => set.parse('file.yaml', 'a\n{{ if .x }}\n'));
    expect(e.message).toBe('template: file.yaml:3: unexpected EOF');
    expect(e.code).toBe('TEMPLATE_PARSE_ERROR');
  });

  it('rejects unknown functions at parse time, even in unused defines', () => {
    const set = createTemplateSet();
    expect(() => set.parse('h', '{{ define "unused" }}{{ nope 1 }}{{ end }}')).toThrow('function "nope" not defined');
  });

  it('works with custom delimiters', () => {
    expect(render('<< .v >> {{ .v }}', { v: 'x' }, { delims: ['<<', '>>'] })).toBe('x {{ .v }}');
  });

  it('lets later parses override definitions and keeps them when the new tree is empty', () => {
    const set = createTemplateSet();
    set.parse('a.tpl', '{{ define "h" }}first{{ end }}');
    set.parse('b.tpl', '{{ define "h" }}second{{ end }}');
    set.parse('main', '{{ template "h" }}');
    expect(set.execute('main', null)).toBe('second');
    set.parse('main', '   ');
    expect(set.execute('main', null)).toBe('second');
    expect(set.names().sort()).toEqual(['a.tpl', 'b.tpl', 'h', 'main']);
  });

  it('supports a re-entrant include function and clone for tpl', () => {
    const holder: { set?: TemplateSet } = {};
    const funcs: FuncMap = {
      include: {
        params: ['string', 'interface{}'],
        call: (name, data) => (holder.set as TemplateSet).execute(name as string, data),
      },
      str: { params: ['string'], call: (v) => v },
    };
    const set = createTemplateSet({ funcs, missingKey: 'zero' });
    holder.set = set;
    set.parse('helpers', '{{ define "name" }}{{ .n | str | printf "%s-x" }}{{ end }}');
    set.parse('main', 'n={{ include "name" . | printf "%q" }}');
    expect(set.execute('main', { n: 'app' })).toBe('n="app-x"');

    const copy = set.clone();
    copy.parse('main', 'other');
    expect(copy.execute('main', {})).toBe('other');
    expect(set.execute('main', { n: 'app' })).toBe('n="app-x"');
    expect(copy.has('helpers')).toBe(true);

    const e = errorOf(() => set.execute('main', { n: 5 }));
    expect(e.message).toBe(
      'template: main:1:5: executing "main" at <include "name" .>: error calling include: ' +
        'template: helpers:1:27: executing "name" at <str>: wrong type for value; expected string; got float64',
    );
  });

  it('wraps function errors as "error calling NAME"', () => {
    const funcs: FuncMap = { boom: { params: [], call: () => { throw new Error('kaput'); } } };
    const e = errorOf(() => render('{{ boom }}', {}, { funcs }));
    expect(e.message).toBe('template: t:1:3: executing "t" at <boom>: error calling boom: kaput');
  });

  it('converts literals by the declared parameter type', () => {
    const seen: GoValue[] = [];
    const funcs: FuncMap = { f: { params: ['float64', 'int', 'interface{}'], call: (...a) => (seen.push(...a), 'ok') } };
    expect(render('{{ f 2 3 4 }}', {}, { funcs })).toBe('ok');
    expect(seen).toEqual([2, 3n, 4n]);
    expect(() => render('{{ f 1.5 2.5 1 }}', {}, { funcs })).toThrow('expected integer; found 2.5');
    expect(() => render('{{ f .x 1 1 }}', { x: 'str' }, { funcs })).toThrow('wrong type for value; expected float64; got string');
  });

  it('calls struct methods and reads struct fields', () => {
    const files = new GoStruct('engine.files', {}, { Get: (name) => `content of ${String(name)}` });
    const chart = new GoStruct('*chart.Metadata', { Name: 'demo', Version: '1.0.0' });
    expect(render('{{ .Files.Get "a.txt" }} {{ .Chart.Name }}-{{ .Chart.Version }} {{ .Chart }}', { Files: files, Chart: chart })).toBe(
      'content of a.txt demo-1.0.0 {demo 1.0.0}',
    );
    expect(() => render('{{ .Chart.name }}', { Chart: chart })).toThrow("can't evaluate field name in type interface {}");
  });

  it('fails on an unknown template name with Go text', () => {
    const set = createTemplateSet({ name: 'gotpl' });
    expect(errorOf(() => set.execute('x.yaml', {})).message).toBe('template: no template "x.yaml" associated with template "gotpl"');
  });

  it('turns runaway recursion into the depth error instead of a stack overflow', () => {
    const set = createTemplateSet();
    set.parse('t', '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}');
    expect(() => set.execute('t', {})).toThrow('exceeded maximum template depth (100000)');
  });
});
