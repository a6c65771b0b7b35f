import { beforeAll, describe, expect, it } from 'vitest';
import { GoNumber, GoStruct, isGoMap } from '../template/values.js';
import type { FuncMap, GoValue } from '../template/values.js';
import { differentialCases } from './differential-cases.js';
import { formatFloat } from './go-format.js';
import { buildGoOracle, runGoOracle } from '../../testing/go-funcs/oracle.js';
import type { OracleCase, OracleResult } from '../../testing/go-funcs/oracle.js';
import { goJsonMarshal } from './go-json.js';
import { goTypeName, typedSlice } from './go-types.js';
import { helmFuncs, toYamlPretty } from './helm-funcs.js';
import { parseYamlGo, toYamlHelm } from './helm-yaml.js';
import { sprigFuncs } from './sprig.js';

/** Decodes the oracle's typed JSON into GoValues (plain numbers are float64). */
function decode(v: unknown): GoValue {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(decode);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const x = o[keys[0] ?? ''];
      switch (keys[0]) {
        case '$int':
          return BigInt(x as string);
        case '$int64':
          return new GoNumber('int64', BigInt(x as string));
        case '$int32':
          return new GoNumber('int32', BigInt(x as string));
        case '$uint32':
          return new GoNumber('uint32', BigInt(x as string));
        case '$bytes':
          return new Uint8Array(Buffer.from(x as string, 'base64'));
        case '$strings':
          return typedSlice([...(x as string[])], 'string');
        case '$nil':
          return null;
      }
    }
    const out: Record<string, GoValue> = {};
    for (const k of keys) out[k] = decode(o[k]);
    return out;
  }
  return v as GoValue;
}

/** Encodes a TS result like the oracle's encodeTyped: {t: %T, v: payload}. */
function encode(v: GoValue): unknown {
  if (v === null || v === undefined) return { t: '<nil>' };
  const t = goTypeName(v);
  if (v instanceof Uint8Array) return { t, v: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return { t, v: v.length === 0 ? null : v.map(encode) };
  if (typeof v === 'number') return { t, v: formatFloat(v) };
  if (typeof v === 'bigint') return { t, v: v.toString() };
  if (v instanceof GoNumber) return { t, v: v.kind === 'float32' ? formatFloat(Number(v.value), 'g', 32) : v.value.toString() };
  if (v instanceof GoStruct) return { t, v: v.format ? v.format() : '{}' };
  if (isGoMap(v)) return { t, v: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)])) };
  return { t, v };
}

// Go returns typed nil slices where the TS side returns [] (printing and JSON agree for our uses).
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.v) && o.v.length === 0 && typeof o.t === 'string' && o.t.startsWith('[]')) return { ...o, v: null };
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, normalize(x)]));
  }
  return v;
}

// Go map iteration order is random: compare `keys`/`values` results sorted.
const UNORDERED = new Set(['keys', 'values']);

function sortedPayload(r: unknown): unknown {
  const o = r as { t: string; v: unknown[] | null };
  if (!o || !Array.isArray(o.v)) return r;
  return { ...o, v: [...o.v].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
}

const helm = helmFuncs();
// The oracle's map is Sprig's plus Helm's toYaml/fromYaml (Sprig's own fromJson stays).
const funcs: FuncMap = { ...sprigFuncs({ now: () => new Date('2024-01-01T00:00:00Z') }), toYaml: helm.toYaml, fromYaml: helm.fromYaml };

function runTs(c: OracleCase): OracleResult {
  try {
    if (c.helm === 'toYaml') return { out: toYamlHelm(decode(c.value)) };
    if (c.helm === 'toYamlPretty') return { out: toYamlPretty(decode(c.value)) };
    if (c.helm === 'toJson') return { out: goJsonMarshal(decode(c.value)) };
    if (c.helm === 'toToml') return { out: helm.toToml.call(decode(c.value)) as string };
    if (c.helm === 'parseYaml') return { value: encode(parseYamlGo(c.text ?? '')) };
    const f = funcs[c.fn ?? ''];
    if (!f) return { error: `function ${c.fn} not defined` };
    const args = (c.args ?? []).map(decode);
    return { value: encode(f.call(...args)) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function label(c: OracleCase, idx: number): string {
  const what = c.fn ? `${c.fn} ${JSON.stringify(c.args)}` : `${c.helm} ${JSON.stringify(c.value ?? c.text)}`;
  return `#${idx} ${what.length > 110 ? `${what.slice(0, 110)}…` : what}`;
}

describe('Sprig and Helm functions against Go (Sprig 3.2.3, yaml.v2)', () => {
  let goResults: OracleResult[] = [];

  beforeAll(async () => {
    const binary = await buildGoOracle();
    goResults = await runGoOracle(binary, differentialCases);
    console.log(`differential cases: ${differentialCases.length}`);
  });

  it('covers at least 250 cases', () => {
    expect(differentialCases.length).toBeGreaterThanOrEqual(250);
  });

  it.each(differentialCases.map((c, idx) => [label(c, idx), c, idx] as const))('%s', (_name, c, idx) => {
    const go = goResults[idx] ?? {};
    const ts = runTs(c);
    if (go.error !== undefined) {
      expect(ts.error, 'Go failed, TS must fail too').toBeDefined();
      if (c.helm === 'parseYaml') return;
      expect(ts.error).toBe(go.error);
      return;
    }
    expect(ts.error).toBeUndefined();
    if (go.out !== undefined) expect(ts.out).toBe(go.out);
    else if (UNORDERED.has(c.fn ?? '')) expect(sortedPayload(normalize(ts.value))).toEqual(sortedPayload(normalize(go.value)));
    else expect(normalize(ts.value)).toEqual(normalize(go.value));
  });
});
