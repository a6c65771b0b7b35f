/**
 * Helm's YAML bridges: `toYaml` = sigs.k8s.io/yaml.Marshal (Go JSON marshal, yaml.v2 decode of that JSON,
 * yaml.v2 encode) and `parseYamlGo` = sigs.k8s.io/yaml.Unmarshal into interface{} (yaml.v2 YAML 1.1
 * resolution, keys stringified, then JSON so every number is float64).
 */
import { parseAllDocuments, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node as YNodeAst } from 'yaml';
import type { GoMap, GoValue } from '../template/values.js';
import { formatFloat } from './go-format.js';
import { goJsonMarshal } from './go-json.js';
import { sortKeysNatural } from './yaml-keys.js';
import { emitYamlV2, plainNode, stringNode } from './yaml-v2.js';
import type { YamlNode } from './yaml-v2.js';
import { resolvePlain } from './yaml-resolve.js';
import { goBase64Decode } from './encoding-funcs.js';
import { fromUtf8 } from './text.js';

type JsonTree = null | boolean | string | { num: string } | JsonTree[] | { obj: [string, JsonTree][] };

// Parses Go's JSON output keeping number literals (yaml.v2 decides int vs float from the text).
function parseJsonRaw(text: string): JsonTree {
  let i = 0;
  const value = (): JsonTree => {
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: [string, JsonTree][] = [];
      if (text[i] === '}') {
        i++;
        return { obj };
      }
      for (;;) {
        const k = value() as string;
        i++;
        obj.push([k, value()]);
        if (text[i++] === '}') return { obj };
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonTree[] = [];
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        if (text[i++] === ']') return arr;
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const s = JSON.parse(text.slice(i, j + 1)) as string;
      i = j + 1;
      // yaml.v2 reads Go's JSON as YAML: a raw NEL inside a double-quoted scalar is a line break and folds.
      return s.includes('\u0085') ? s.replace(/[ \t]*(?:\u0085[ \t]*)+/g, (m) => {
        const breaks = m.split('\u0085').length - 1;
        return breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
      }) : s;
    }
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return v;
      }
    }
    const m = /^-?[0-9.eE+-]+/.exec(text.slice(i));
    i += m?.[0].length ?? 1;
    return { num: m?.[0] ?? '0' };
  };
  return value();
}

function numberNode(text: string): YamlNode {
  const r = resolvePlain(text);
  if (r.tag === 'int') return plainNode(r.value.toString());
  if (r.tag === 'float') {
    const s = formatFloat(r.value);
    return plainNode(s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s);
  }
  return stringNode(text);
}

function toNode(t: JsonTree): YamlNode {
  if (t === null) return plainNode('null');
  if (typeof t === 'boolean') return plainNode(t ? 'true' : 'false');
  if (typeof t === 'string') return stringNode(t);
  if (Array.isArray(t)) return { kind: 'seq', items: t.map(toNode) };
  if ('num' in t) return numberNode(t.num);
  const byKey = new Map<string, JsonTree>();
  for (const [k, v] of t.obj) byKey.set(k, v);
  const keys = sortKeysNatural([...byKey.keys()]);
  return { kind: 'map', entries: keys.map((k) => [stringNode(k), toNode(byKey.get(k) ?? null)]) };
}

/** sigs.k8s.io/yaml.Marshal; throws Go's JSON marshal error ("error marshaling into JSON: ..."). */
export function marshalYamlGo(v: GoValue): string {
  let json: string;
  try {
    json = goJsonMarshal(v);
  } catch (e) {
    throw new Error(`error marshaling into JSON: ${(e as Error).message}`);
  }
  return emitYamlV2(toNode(parseJsonRaw(json)));
}

/** Helm's toYaml: Marshal with the final newline trimmed; "" on error. */
export function toYamlHelm(v: GoValue): string {
  try {
    return marshalYamlGo(v).replace(/\n$/, '');
  } catch {
    return '';
  }
}

function setKey(m: GoMap, k: string, v: GoValue): void {
  Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function keyString(k: GoValue, node: YNodeAst | null): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  if (typeof k === 'bigint') return k.toString();
  if (typeof k === 'number') {
    const s = formatFloat(k, 'g', 32);
    return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
  }
  throw new Error(`unsupported map key of type: ${k === null ? '<nil>' : 'map'}, key: ${String(node)}`);
}

function scalarValue(node: YNodeAst, doc: Document): GoValue {
  if (!isScalar(node)) return null;
  if (node.value instanceof Uint8Array) return fromUtf8(node.value);
  const raw = String(node.value ?? '');
  const tag = node.tag?.replace(/^tag:yaml\.org,2002:/, '!!');
  const plain = node.type === 'PLAIN';
  if (tag === '!!str') return raw;
  if (tag === '!!binary') return fromUtf8(goBase64Decode(raw.replace(/\s/g, '')));
  if (tag !== undefined && !['!!bool', '!!int', '!!float', '!!null', '!!timestamp'].includes(tag)) return raw;
  if (!plain && tag === undefined) return raw;
  const r = resolvePlain(raw);
  void doc;
  switch (r.tag) {
    case 'bool':
      return r.value;
    case 'null':
      return null;
    case 'int':
      return Number(r.value);
    case 'float':
      if (!Number.isFinite(r.value)) throw new Error(`json: unsupported value: ${formatFloat(r.value)}`);
      return r.value;
    default:
      return r.value;
  }
}

// yaml.v2's guard against alias bombs (decode.go): nodes decoded inside alias expansions may only be a
// shrinking share of all nodes decoded, from 99 % up to 400,000 nodes down to 10 % at 4,000,000.
interface Decoding {
  decodeCount: number;
  aliasCount: number;
  aliasDepth: number;
}

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.1;
  return 0.99 - (0.89 * (decodeCount - 400_000)) / 3_600_000;
}

function convert(node: YNodeAst | null, doc: Document, depth = 0, d: Decoding = { decodeCount: 0, aliasCount: 0, aliasDepth: 0 }): GoValue {
  if (depth > 10000) throw new Error('yaml: exceeded max depth');
  d.decodeCount++;
  if (d.aliasDepth > 0) d.aliasCount++;
  if (d.aliasCount > 100 && d.decodeCount > 1000 && d.aliasCount / d.decodeCount > allowedAliasRatio(d.decodeCount)) {
    throw new Error('yaml: document contains excessive aliasing');
  }
  if (node === null) return null;
  if (isAlias(node)) {
    d.aliasDepth++;
    try {
      return convert((node.resolve(doc) as YNodeAst | undefined) ?? null, doc, depth + 1, d);
    } finally {
      d.aliasDepth--;
    }
  }
  if (isSeq(node)) return node.items.map((it) => convert(it as YNodeAst, doc, depth + 1, d));
  if (isMap(node)) {
    const out: GoMap = {};
    for (const pair of node.items) {
      const keyNode = pair.key as YNodeAst | null;
      const isMerge = isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === '<<';
      if (isMerge) {
        const target = pair.value as YNodeAst | null;
        const sources = isSeq(target) ? [...target.items].reverse() : [target];
        for (const src of sources) {
          const merged = convert(src as YNodeAst, doc, depth + 1, d);
          if (typeof merged !== 'object' || merged === null || Array.isArray(merged)) {
            throw new Error('yaml: map merge requires map or sequence of maps as the value');
          }
          for (const [k, v] of Object.entries(merged)) setKey(out, k, v);
        }
        continue;
      }
      const key = keyNode === null ? null : isScalar(keyNode) || isAlias(keyNode) ? convert(keyNode, doc, depth + 1, d) : undefined;
      if (key === undefined || (typeof key === 'object' && key !== null)) throw new Error('yaml: invalid map key');
      setKey(out, keyString(key, keyNode), convert(pair.value as YNodeAst | null, doc, depth + 1, d));
    }
    return out;
  }
  return scalarValue(node, doc);
}

/**
 * Parses YAML like sigs.k8s.io/yaml.Unmarshal into interface{} (Helm's values.yaml, fromYaml): first
 * document only, YAML 1.1 booleans (`yes`, `on`), numbers as float64, timestamps as strings, `<<` merges.
 * Throws "error converting YAML to JSON: yaml: ..." on malformed input.
 */
export function parseYamlGo(text: string): GoValue {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, merge: false, strict: false });
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  if (!doc) return null;
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0].line;
    throw new Error(`error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${err.message.split('\n')[0] ?? ''}`);
  }
  try {
    return convert(doc.contents as YNodeAst | null, doc);
  } catch (e) {
    throw new Error(`error converting YAML to JSON: ${(e as Error).message}`);
  }
}
