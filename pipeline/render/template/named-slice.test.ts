/**
 * A named slice type with methods (withSliceMethods), as Helm's chartutil.VersionSet (`[]string` + `Has`):
 * the engine and Sprig treat it as the slice it is, and field syntax still calls its methods.
 * The Go oracle checks the same behaviour in corpus-funcs.yaml (`$versionSet`).
 */
import { describe, expect, it } from 'vitest';
import { typedSlice } from '../funcs/go-types.js';
import { sprigFuncs } from '../funcs/sprig.js';
import { createTemplateSet, TemplateError, withSliceMethods } from './index.js';
import type { GoValue } from './index.js';

function versionSet(items: string[]): GoValue[] {
  return withSliceMethods(typedSlice([...items], 'string'), 'chartutil.VersionSet', { Has: { params: ['string'], call: (self, v) => self.includes(v as string) } });
}

const funcs = sprigFuncs();

function render(text: string): string {
  const set = createTemplateSet({ funcs });
  set.parse('t', text);
  return set.execute('t', { v: versionSet(['apps/v1', 'v1', 'batch/v1']), e: versionSet([]), s: typedSlice(['apps/v1'], 'string') });
}

function errorOf(text: string): string {
  try {
    render(text);
  } catch (e) {
    if (e instanceof TemplateError) return e.message;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

describe('named slice with methods', () => {
  it.each([
    ['range with index and element', '{{ range $i, $v := .v }}{{ $i }}={{ $v }};{{ end }}', '0=apps/v1;1=v1;2=batch/v1;'],
    ['range sets dot', '{{ range .v }}{{ . }},{{ end }}', 'apps/v1,v1,batch/v1,'],
    ['range else when empty', '{{ range .e }}x{{ else }}empty{{ end }}', 'empty'],
    ['truth', '{{ if .v }}y{{ end }}{{ if .e }}n{{ else }}e{{ end }} {{ not .e }} {{ with .e }}x{{ else }}none{{ end }}', 'ye true none'],
    ['len, index, slice', '{{ len .v }} {{ len .e }} {{ index .v 2 }} {{ slice .v 1 }} {{ slice .v 0 1 }}', '3 0 batch/v1 [v1 batch/v1] [apps/v1]'],
    ['slice keeps the named type and its methods', '{{ printf "%T" (slice .v 1) }} {{ (slice .v 1).Has "v1" }} {{ (slice .v 1).Has "apps/v1" }}', 'chartutil.VersionSet true false'],
    ['printing', '{{ .v }} {{ .e }} {{ printf "%T|%q|%#v" .v .v .e }}', '[apps/v1 v1 batch/v1] [] chartutil.VersionSet|["apps/v1" "v1" "batch/v1"]|chartutil.VersionSet{}'],
    ['method call', '{{ .v.Has "v1" }} {{ .v.Has "x" }} {{ .e.Has "v1" }} {{ $x := .v }}{{ $x.Has "apps/v1" }} {{ "batch/v1" | .v.Has }}', 'true false false true true'],
    ['eq on elements', '{{ eq (index .v 0) "apps/v1" }} {{ ne (index .v 1) "v1" }}', 'true false'],
    ['Sprig has, first, last, join', '{{ has "v1" .v }} {{ has "x" .v }} {{ has "v1" .e }} {{ first .v }} {{ last .v }} {{ join "," .v }}', 'true false false apps/v1 batch/v1 apps/v1,v1,batch/v1'],
    ['Sprig list builders', '{{ sortAlpha .v }} {{ rest .v }} {{ initial .v }} {{ reverse .v }} {{ without .v "v1" }} {{ append .v "x" }}', '[apps/v1 batch/v1 v1] [v1 batch/v1] [apps/v1 v1] [batch/v1 v1 apps/v1] [apps/v1 batch/v1] [apps/v1 v1 batch/v1 x]'],
    ['Sprig types', '{{ typeOf .v }} {{ kindOf .v }} {{ typeIs "[]string" .v }} {{ typeOf (rest .v) }} {{ typeOf (sortAlpha .v) }} {{ typeOf (mustSlice .v 1) }} {{ (deepCopy .v).Has "v1" }}', 'chartutil.VersionSet slice false []interface {} []string chartutil.VersionSet true'],
    ['Sprig emptiness and JSON', '{{ empty .e }} {{ empty .v }} {{ toJson .v }} {{ default (list "d") .e }}', 'true false ["apps/v1","v1","batch/v1"] [d]'],
  ])('%s', (_name, text, want) => {
    expect(render(text)).toBe(want);
  });

  it.each([
    ['method argument type', '{{ .v.Has 1 }}', 'expected string; found 1'],
    ['method argument count', '{{ .v.Has }}', 'wrong number of args for Has: want 1 got 0'],
    ['unknown method', '{{ .v.Nope }}', "can't evaluate field Nope in type interface {}"],
    ['index out of range', '{{ index .v 3 }}', 'error calling index: reflect: slice index out of range'],
    ['slices are not comparable', '{{ eq .v .s }}', 'error calling eq: non-comparable type [apps/v1]: []string'],
    ['not assignable to []interface{}', '{{ genSelfSignedCert "x" .v nil 1 }}', 'wrong type for value; expected []interface {}; got chartutil.VersionSet'],
  ])('fails like Go: %s', (_name, text, want) => {
    expect(errorOf(text)).toContain(want);
  });
});
