/**
 * Re-marshals `Chart.yaml` and `Chart.lock` as `helm package` does (helm/helm pkg/chart/metadata.go,
 * pkg/chartutil/save.go): known fields only, empty ones omitted, strings sanitised, keys in yaml.v2 order,
 * emitted close to yaml.v2 style (block sequences at the key's indent, ambiguous strings double-quoted).
 */
import { Document, parse, visit, type Scalar } from 'yaml';
import { UserInputError } from '../core/errors.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Obj = Record<string, unknown>;

/** yaml.v2 `keyList.Less` for string keys: letters by code point, letters after non-letters, digit runs numerically. */
export function yamlV2KeyOrder(a: string, b: string): number {
  const ar = Array.from(a);
  const br = Array.from(b);
  const isLetter = (c: string): boolean => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined): boolean => c !== undefined && /\p{Nd}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i += 1) {
    const x = ar[i] ?? '';
    const y = br[i] ?? '';
    if (x === y) continue;
    const xl = isLetter(x);
    const yl = isLetter(y);
    if (xl && yl) return (x.codePointAt(0) ?? 0) - (y.codePointAt(0) ?? 0);
    if (xl || yl) return xl ? 1 : -1;
    let an = 0;
    let bn = 0;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j -= 1) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai += 1) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi += 1) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an - bn;
    if (ai !== bi) return ai - bi;
    return (x.codePointAt(0) ?? 0) - (y.codePointAt(0) ?? 0);
  }
  return ar.length - br.length;
}

/** Helm's `sanitizeString`: whitespace becomes a space, non-printable characters are dropped. */
export function sanitizeString(s: string): string {
  return Array.from(s, (c) => (/\s/u.test(c) ? ' ' : /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u.test(c) ? '' : c)).join('');
}

/** A YAML 1.1 reader would not read this string back as the same string: yaml.v2 double-quotes it. */
function ambiguous(s: string): boolean {
  if (s === '') return true;
  if (/^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL)$/.test(s)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return true; // ints and floats
  if (/^[-+]?0x[0-9a-fA-F_]+$|^[-+]?0b[01_]+$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/.test(s)) return true;
  if (/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(s)) return true; // base 60
  return /^\d{4}-\d\d?-\d\d?([Tt]|[ \t]+)\d\d?:\d\d:\d\d(\.\d*)?(([ \t]*)Z|[-+]\d\d?(:\d\d)?)?$|^\d{4}-\d\d-\d\d$/.test(s);
}

/** Marshals plain data the way sigs.k8s.io/yaml → yaml.v2 lays it out (keys sorted, sequences not indented). */
export function marshalYamlV2(value: Json): string {
  const doc = new Document(value, { sortMapEntries: (a, b) => yamlV2KeyOrder(String(a.key), String(b.key)) });
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (typeof node.value !== 'string') return;
      if (ambiguous(node.value)) node.type = 'QUOTE_DOUBLE';
      // yaml.v2 cannot write a literal block with trailing spaces on a line; it falls back to double quotes.
      else if (node.value.includes('\n')) node.type = / \n/.test(node.value) || node.value.endsWith(' ') ? 'QUOTE_DOUBLE' : 'BLOCK_LITERAL';
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 80, minContentWidth: 0, singleQuote: true, blockQuote: 'literal' });
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const strList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map((x) => String(x ?? '')) : undefined);

/** Removes keys whose value is empty (Go `omitempty`): "", false, empty list or map, undefined. */
function omitEmpty(o: Obj, keep: string[] = []): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(o)) {
    const empty = v === undefined || v === '' || v === false || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);
    if (!empty || keep.includes(k)) out[k] = (v ?? '') as Json;
  }
  return out;
}

/** Parses YAML twice: as written (failsafe: every scalar a string, like Go string fields) and typed (booleans, lists). */
function parseBoth(text: string, file: string): { raw: Obj; typed: Obj } {
  try {
    const raw = (parse(text, { schema: 'failsafe' }) ?? {}) as Obj;
    const typed = (parse(text, { version: '1.1' }) ?? {}) as Obj;
    if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error('not a mapping');
    return { raw, typed };
  } catch (error) {
    throw new UserInputError('CHART_YAML_INVALID', `${file} is not a YAML mapping`, { details: 'Fix the YAML syntax.', cause: error, location: { file } });
  }
}

function dependency(raw: Obj, typed: Obj, sanitize: boolean): { [key: string]: Json } {
  const s = (v: unknown): string | undefined => (sanitize && v !== undefined ? sanitizeString(String(v)) : str(v));
  return omitEmpty(
    {
      name: s(raw.name) ?? '',
      version: s(raw.version),
      repository: s(raw.repository) ?? '',
      condition: s(raw.condition),
      tags: strList(raw.tags)?.map((t) => (sanitize ? sanitizeString(t) : t)),
      enabled: typed.enabled === true,
      'import-values': Array.isArray(typed['import-values']) ? (typed['import-values'] as Json[]) : undefined,
      alias: s(raw.alias),
    },
    ['name', 'repository'],
  );
}

/** `Chart.yaml` as `helm package` writes it; `version` overrides the chart version (csctl forces it). */
export function marshalChartYaml(text: string, options: { version?: string; file?: string } = {}): { yaml: string; name: string; version: string; apiVersion: string; dependencies: string[] } {
  const file = options.file ?? 'Chart.yaml';
  const { raw, typed } = parseBoth(text, file);
  const s = (k: string): string | undefined => (raw[k] === undefined ? undefined : sanitizeString(String(raw[k])));
  const list = (k: string): string[] | undefined => strList(raw[k])?.map(sanitizeString);
  const maps = (k: string): Obj[] => (Array.isArray(raw[k]) ? (raw[k] as unknown[]).filter((x): x is Obj => typeof x === 'object' && x !== null) : []);
  const typedMaps = (k: string): Obj[] => (Array.isArray(typed[k]) ? (typed[k] as Obj[]) : []);
  const annotations = raw.annotations && typeof raw.annotations === 'object' ? Object.fromEntries(Object.entries(raw.annotations as Obj).map(([k, v]) => [k, String(v)])) : undefined;
  const version = options.version ?? str(raw.version) ?? '';
  const apiVersion = s('apiVersion') || 'v1';
  const metadata = omitEmpty({
    name: s('name'),
    home: s('home'),
    sources: list('sources'),
    version,
    description: s('description'),
    keywords: list('keywords'),
    maintainers: maps('maintainers').map((m) => omitEmpty({ name: str(m.name) && sanitizeString(String(m.name)), email: str(m.email) && sanitizeString(String(m.email)), url: str(m.url) && sanitizeString(String(m.url)) })),
    icon: s('icon'),
    apiVersion,
    condition: s('condition'),
    tags: s('tags'),
    appVersion: s('appVersion'),
    deprecated: typed.deprecated === true,
    annotations,
    kubeVersion: s('kubeVersion'),
    // helm/helm save.go drops dependencies from v1 charts (they live in requirements.yaml there).
    dependencies: apiVersion === 'v1' ? undefined : maps('dependencies').map((d, i) => dependency(d, typedMaps('dependencies')[i] ?? {}, true)),
    type: s('type'),
  });
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  if (!name) throw new UserInputError('CHART_NAME_MISSING', `${file} has no name`, { details: 'Add `name:` to Chart.yaml.', location: { file } });
  if (!version) throw new UserInputError('CHART_VERSION_MISSING', `${file} has no version`, { details: 'Add `version:` to Chart.yaml.', location: { file } });
  const dependencies = maps('dependencies').map((d) => sanitizeString(String(d.name ?? '')));
  return { yaml: marshalYamlV2(metadata), name, version, apiVersion, dependencies };
}

/** `Chart.lock` as Helm re-marshals it: generated (RFC 3339 text as written), digest, dependencies. */
export function marshalChartLock(text: string, file = 'Chart.lock'): string {
  const { raw, typed } = parseBoth(text, file);
  const deps = Array.isArray(raw.dependencies) ? (raw.dependencies as Obj[]) : [];
  const typedDeps = Array.isArray(typed.dependencies) ? (typed.dependencies as Obj[]) : [];
  const lock: { [key: string]: Json } = {
    generated: str(raw.generated) ?? '0001-01-01T00:00:00Z',
    digest: str(raw.digest) ?? '',
    dependencies: deps.map((d, i) => dependency(d, typedDeps[i] ?? {}, false)),
  };
  return marshalYamlV2(lock);
}

