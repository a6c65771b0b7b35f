/**
 * Differential corpus support: loads the YAML case files in __fixtures__/, decodes tagged data into
 * GoValues, and runs one case through the TypeScript engine in the same shape the Go oracle answers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { typedMap, typedSlice } from '../funcs/go-types.js';
import { hermeticSprigFuncs, slimSprigFuncs, sprigFuncs } from '../funcs/sprig.js';
import { createTemplateSet } from '../template/index.js';
import { GoNumber, GoStruct, withSliceMethods } from '../template/values.js';
import type { FuncMap, GoValue } from '../template/values.js';
import type { OracleCase, OracleResult } from '../../testing/go-oracle/oracle.js';

interface CorpusEntry {
  t: string;
  name?: string;
  data?: unknown;
  mk?: OracleCase['missingKey'];
  funcs?: OracleCase['funcs'];
  delims?: [string, string];
  before?: { name: string; text: string }[];
  after?: { name: string; text: string }[];
  exec?: string;
}

/** The corpus files, in order. */
export const CORPUS_FILES = ['corpus-basics.yaml', 'corpus-funcs.yaml'];

/** Loads every corpus case as an oracle case. */
export function loadCorpus(): OracleCase[] {
  const cases: OracleCase[] = [];
  for (const file of CORPUS_FILES) {
    const entries = parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__', file), 'utf8')) as CorpusEntry[];
    for (const e of entries) {
      const c: OracleCase = { name: e.name ?? 't', template: e.t, data: e.data ?? null };
      if (e.mk) c.missingKey = e.mk;
      if (e.funcs) c.funcs = e.funcs;
      if (e.delims) c.delims = e.delims;
      if (e.before) c.before = e.before;
      if (e.after) c.after = e.after;
      if (e.exec) c.execute = e.exec;
      cases.push(c);
    }
  }
  return cases;
}

/** The oracle's `apiVersions` (chart.go): a named `[]string` with `Has`, modelled on chartutil.VersionSet. */
function apiVersions(items: string[]): GoValue[] {
  return withSliceMethods(typedSlice([...items], 'string'), 'main.apiVersions', { Has: { params: ['string'], call: (self, v) => self.includes(v as string) } });
}

/**
 * Decodes JSON-like data with the oracle's tags ({"$int": "5"}, {"$n": "uint16:3"}, {"$slice": …},
 * {"$map": …}, {"$struct": …}, {"$versionSet": […]}) into GoValues; plain numbers stay float64.
 */
export function decodeData(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(decodeData);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const x = o[keys[0] as string];
      const s = String(x);
      switch (keys[0]) {
        case '$int':
          return BigInt(s);
        case '$int64':
          return new GoNumber('int64', BigInt(s));
        case '$uint8':
          return new GoNumber('uint8', BigInt(s));
        case '$float64':
          return s === '-0' ? -0 : Number(s.replace('Inf', 'Infinity'));
        case '$float32':
          return new GoNumber('float32', Math.fround(Number(s)));
        case '$bytes':
          return new Uint8Array(Buffer.from(s, 'base64'));
        case '$strings':
          return typedSlice([...(x as string[])], 'string');
        case '$versionSet':
          return apiVersions(x as string[]);
        case '$stringMap':
          return typedMap({ ...(x as Record<string, string>) }, 'string');
        case '$n': {
          const [kind, num] = s.split(':') as [GoNumber['kind'], string];
          return new GoNumber(kind, BigInt(num));
        }
        case '$slice': {
          const { elem, items } = x as { elem: string; items: unknown[] };
          return typedSlice(items.map(decodeData), elem);
        }
        case '$map': {
          const { elem, entries } = x as { elem: string; entries: Record<string, unknown> };
          const m: Record<string, GoValue> = {};
          for (const [k, e] of Object.entries(entries)) m[k] = decodeData(e);
          return typedMap(m, elem);
        }
        case '$struct': {
          const { type, fields, format } = x as { type: string; fields: [string, unknown][]; format?: string };
          const f: Record<string, GoValue> = {};
          for (const [k, e] of fields) f[k] = decodeData(e);
          return new GoStruct(type, f, {}, format === undefined ? undefined : () => format);
        }
      }
    }
    const out: Record<string, GoValue> = {};
    for (const k of keys) out[k] = decodeData(o[k]);
    return out;
  }
  return v as GoValue;
}

let sprig: FuncMap | undefined;
let hermetic: FuncMap | undefined;
let slim: FuncMap | undefined;

function funcsFor(kind: OracleCase['funcs']): FuncMap {
  if (kind === 'sprig') return (sprig ??= sprigFuncs());
  if (kind === 'hermetic') return (hermetic ??= hermeticSprigFuncs());
  if (kind === 'slim') return (slim ??= slimSprigFuncs());
  return {};
}

/** Runs a case through the TypeScript engine: `{output}` or `{error}` with Go's message. */
export function runEngineCase(c: OracleCase): OracleResult {
  try {
    const set = createTemplateSet({ name: c.name, delims: c.delims, missingKey: c.missingKey, funcs: funcsFor(c.funcs) });
    for (const b of c.before ?? []) set.parse(b.name, b.text);
    set.parse(c.name, c.template);
    for (const a of c.after ?? []) set.parse(a.name, a.text);
    return { output: set.execute(c.execute ?? c.name, decodeData(c.data)) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
