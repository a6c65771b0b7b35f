/**
 * Helm's context-free template functions (pkg/engine/funcs.go): YAML/JSON/TOML conversions with Helm's
 * error conventions (`fromYaml` puts the error under "Error"), and the offline `getHostByName`.
 * `include`, `tpl`, `required`, `lookup` and `.Files` need chart context and live in render/helm.
 */
import { GoNumber, isGoMap } from '../template/values.js';
import type { FuncMap, GoMap, GoValue } from '../template/values.js';
import { argStr, fn } from './define.js';
import { formatFloat } from './go-format.js';
import { goJsonMarshal, goJsonUnmarshal } from './go-json.js';
import { marshalYamlGo, parseYamlGo, toYamlHelm } from './helm-yaml.js';
import { encodeToml } from './toml.js';
import { sortKeysNatural } from './yaml-keys.js';
import { emitYamlV2, plainNode, stringNode } from './yaml-v2.js';
import type { YamlNode } from './yaml-v2.js';
import { goTypeName } from './go-types.js';

// yaml.v3 encodes Go values directly (no JSON round trip): float64 1000000 prints as 1e+06.
function v3Node(v: GoValue): YamlNode {
  if (v === null || v === undefined) return plainNode('null');
  if (typeof v === 'string') return stringNode(v);
  if (typeof v === 'boolean') return plainNode(String(v));
  if (typeof v === 'bigint') return plainNode(v.toString());
  if (typeof v === 'number') {
    const s = formatFloat(v);
    return plainNode(s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s);
  }
  if (v instanceof GoNumber) return plainNode(v.kind === 'float32' ? formatFloat(Number(v.value), 'g', 32) : v.value.toString());
  if (Array.isArray(v)) return { kind: 'seq', items: v.map(v3Node) };
  if (isGoMap(v)) {
    const keys = sortKeysNatural(Object.keys(v));
    return { kind: 'map', entries: keys.map((k) => [stringNode(k), v3Node(v[k])]) };
  }
  throw new Error(`cannot marshal type: ${goTypeName(v)}`);
}

/** Helm's toYamlPretty (yaml.v3 encoder, indent 2), newline trimmed; "" on error. */
export function toYamlPretty(v: GoValue): string {
  try {
    return emitYamlV2(v3Node(v), { indentSequences: true }).replace(/\n$/, '');
  } catch {
    return '';
  }
}

function jsonInto(kind: 'map' | 'array', text: string): GoValue {
  const v = goJsonUnmarshal(text);
  if (v === null) return kind === 'map' ? {} : [];
  const ok = kind === 'map' ? isGoMap(v) : Array.isArray(v);
  if (!ok) {
    const got = Array.isArray(v) ? 'array' : isGoMap(v) ? 'object' : typeof v === 'number' ? 'number' : typeof v;
    const target = kind === 'map' ? 'map[string]interface {}' : '[]interface {}';
    throw new Error(`json: cannot unmarshal ${got} into Go value of type ${target}`);
  }
  return v;
}

function yamlInto(kind: 'map' | 'array', text: string): GoValue {
  const v = parseYamlGo(text);
  try {
    return jsonInto(kind, goJsonMarshal(v));
  } catch (e) {
    throw new Error(`error unmarshaling JSON: ${(e as Error).message}`);
  }
}

function withError(kind: 'map' | 'array', parse: () => GoValue): GoValue {
  try {
    return parse();
  } catch (e) {
    const msg = (e as Error).message;
    if (kind === 'array') return [msg];
    const m: GoMap = {};
    m.Error = msg;
    return m;
  }
}

/** Helm's extra functions that need no chart context. */
export function helmFuncs(): FuncMap {
  return {
    toYaml: fn(['interface{}'], (v) => toYamlHelm(v)),
    mustToYaml: fn(['interface{}'], (v) => marshalYamlGo(v).replace(/\n$/, '')),
    toYamlPretty: fn(['interface{}'], (v) => toYamlPretty(v)),
    fromYaml: fn(['string'], (s) => withError('map', () => yamlInto('map', argStr(s)))),
    fromYamlArray: fn(['string'], (s) => withError('array', () => yamlInto('array', argStr(s)))),
    toJson: fn(['interface{}'], (v) => {
      try {
        return goJsonMarshal(v);
      } catch {
        return '';
      }
    }),
    mustToJson: fn(['interface{}'], (v) => goJsonMarshal(v)),
    fromJson: fn(['string'], (s) => withError('map', () => jsonInto('map', argStr(s)))),
    fromJsonArray: fn(['string'], (s) => withError('array', () => jsonInto('array', argStr(s)))),
    toToml: fn(['interface{}'], (v) => {
      try {
        return encodeToml(v);
      } catch (e) {
        return (e as Error).message;
      }
    }),
    getHostByName: fn(['string'], () => ''),
  };
}
