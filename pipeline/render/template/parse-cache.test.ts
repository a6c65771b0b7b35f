import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartsDir } from '../../testing/paths.js';
import { loadChart } from '../helm/load.js';
import type { HelmChart } from '../helm/types.js';
import { BUILTINS } from './builtins.js';
import { cachedParseCount, parseTemplateCached } from './parse-cache.js';
import { parseTemplate, type ParseOptions } from './parser.js';

// Helm's function names are what Sprig and Helm add; for parsing only the answer "defined" matters.
const helmOptions: ParseOptions = { leftDelim: '{{', rightDelim: '}}', hasFunction: () => true };

function templatesOf(chart: HelmChart): { name: string; text: string }[] {
  return [...chart.templates.map((t) => ({ name: `${chart.metadata.name}/${t.name}`, text: t.data.toString('utf8') })), ...chart.dependencies.flatMap(templatesOf)];
}

describe('parseTemplateCached', () => {
  it('gives the trees a fresh parse gives, for every template of the real charts, cold and from the cache', async () => {
    const files = (await fs.readdir(chartsDir)).filter((f) => f.endsWith('.tgz'));
    let compared = 0;
    for (const file of files) {
      for (const t of templatesOf(await loadChart(path.join(chartsDir, file)))) {
        const fresh = parseTemplate(t.name, t.text, helmOptions);
        const cold = parseTemplateCached(t.name, t.text, helmOptions);
        const hit = parseTemplateCached(t.name, t.text, helmOptions);
        expect(cold).toEqual(fresh);
        expect(hit).toEqual(fresh);
        // Each call gets its own map: callers may add to it.
        expect(hit).not.toBe(cold);
        // Another copy of the chart: the same text under another name, as a fresh parse under that name gives it.
        const other = t.name.replace(/^[^/]+/, 'renamed-copy');
        expect(parseTemplateCached(other, t.text, helmOptions)).toEqual(parseTemplate(other, t.text, helmOptions));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(cachedParseCount()).toBeGreaterThan(0);
  });

  it('parses again when a function the template uses is no longer defined (and the other way round)', () => {
    const text = '{{ define "x" }}{{ shout .Name }}{{ end }}';
    const withShout: ParseOptions = { leftDelim: '{{', rightDelim: '}}', hasFunction: (fn) => fn === 'shout' || Object.hasOwn(BUILTINS, fn) };
    const without: ParseOptions = { ...withShout, hasFunction: (fn) => Object.hasOwn(BUILTINS, fn) };
    const fresh = parseTemplate('t', text, withShout);
    expect(fresh.has('x')).toBe(true);
    expect(parseTemplateCached('t', text, withShout)).toEqual(fresh);
    expect(() => parseTemplateCached('t', text, without)).toThrow(/function "shout" not defined/);
    expect(() => parseTemplateCached('t', text, without)).toThrow(/function "shout" not defined/);
    expect(parseTemplateCached('t', text, withShout)).toEqual(fresh);
  });

  it('a name that a define of the text also uses is parsed, not served from the cache', () => {
    const text = '{{ define "b" }}B{{ end }}top {{ template "b" . }}';
    expect(parseTemplateCached('a', text, helmOptions)).toEqual(parseTemplate('a', text, helmOptions));
    expect(() => parseTemplate('b', text, helmOptions)).toThrow(/multiple definition of template "b"/);
    expect(() => parseTemplateCached('b', text, helmOptions)).toThrow(/multiple definition of template "b"/);
    // An error message names the template being parsed, whatever was cached before.
    expect(() => parseTemplateCached('first', '{{ .X ', helmOptions)).toThrow(/template: first:1/);
    expect(() => parseTemplateCached('second', '{{ .X ', helmOptions)).toThrow(/template: second:1/);
  });

  it('keys on the delimiters and the text; the name is the one asked for', () => {
    const a = parseTemplateCached('a', 'hello {{ .X }}', helmOptions);
    const b = parseTemplateCached('b', 'hello {{ .X }}', helmOptions);
    expect([...a.keys()]).toEqual(['a']);
    expect([...b.keys()]).toEqual(['b']);
    expect(b.get('b')?.name).toBe('b');
    expect(b.get('b')?.root.tr.parseName).toBe('b');
    expect(a.get('a')?.root.tr.parseName).toBe('a');
    const angle = parseTemplateCached('a', 'hello << .X >> {{ .X }}', { ...helmOptions, leftDelim: '<<', rightDelim: '>>' });
    const curly = parseTemplateCached('a', 'hello << .X >> {{ .X }}', helmOptions);
    expect(angle).toEqual(parseTemplate('a', 'hello << .X >> {{ .X }}', { ...helmOptions, leftDelim: '<<', rightDelim: '>>' }));
    expect(curly).toEqual(parseTemplate('a', 'hello << .X >> {{ .X }}', helmOptions));
    expect(angle).not.toEqual(curly);
  });
});
