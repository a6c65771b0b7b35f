/**
 * Helm's `.Files` (helm/helm pkg/engine/files.go): a map of chart files with Get, GetBytes, Glob (gobwas/glob
 * with `/` as separator), Lines, AsConfig and AsSecrets. Ranging over it yields path → bytes.
 */
import { toYamlHelm } from '../funcs/helm-yaml.js';
import { typedMap, typedSlice } from '../funcs/go-types.js';
import { GoStruct } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';
import type { ChartFile } from './types.js';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Compiles a gobwas/glob pattern (separator `/`): `*`, `**`, `?`, `[a-z]`, `[!x]`, `{a,b}`, `\` escapes. */
export function globToRegex(pattern: string): RegExp | undefined {
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      i++;
      if (i >= pattern.length) return undefined;
      out += escapeRe(pattern[i] as string);
    } else if (c === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return undefined;
      let body = pattern.slice(i + 1, end);
      const neg = body.startsWith('!');
      if (neg) body = body.slice(1);
      out += `[${neg ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '{') {
      depth++;
      out += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (c === ',' && depth > 0) out += '|';
    else out += escapeRe(c);
  }
  if (depth !== 0) return undefined;
  try {
    return new RegExp(`^${out}$`, 's');
  } catch {
    return undefined;
  }
}

function base(p: string): string {
  const parts = p.replace(/\/+$/, '').split('/');
  return parts[parts.length - 1] || (p.startsWith('/') ? '/' : '.');
}

/** A file's bytes for `.Files`, or a function that reads a large file when a template first uses it. */
export type FileValue = Uint8Array | (() => Uint8Array);

const bytesOf = (v: FileValue): Uint8Array => (typeof v === 'function' ? v() : v);

/** The `.Files` value for a chart's non-template files. */
export function filesValue(lazyFiles: ReadonlyMap<string, FileValue>): GoStruct {
  const get = (name: GoValue): Uint8Array | undefined => {
    const v = typeof name === 'string' ? lazyFiles.get(name) : undefined;
    return v === undefined ? undefined : bytesOf(v);
  };
  const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
  // Whole-map uses (AsConfig, AsSecrets, printing, range) read every file, as Helm does.
  const files = { keys: () => lazyFiles.keys(), get, *[Symbol.iterator](): Generator<[string, Uint8Array]> {
    for (const [k, v] of lazyFiles) yield [k, bytesOf(v)];
  } };
  const view: GoMap = {};
  for (const [k, v] of lazyFiles) {
    if (typeof v === 'function') Object.defineProperty(view, k, { get: v, enumerable: true, configurable: true });
    else Object.defineProperty(view, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  typedMap(view, '[]uint8');
  return new GoStruct(
    'engine.files',
    {},
    {
      Get: (name) => {
        const b = get(name);
        return b === undefined ? '' : text(b);
      },
      GetBytes: (name) => get(name) ?? new Uint8Array(),
      Glob: (pattern) => {
        const re = globToRegex(typeof pattern === 'string' ? pattern : '') ?? /^.*$/s;
        return filesValue(new Map([...lazyFiles].filter(([k]) => re.test(k))));
      },
      Lines: (name) => {
        const b = get(name);
        if (b === undefined) return typedSlice([], 'string');
        let s = text(b);
        if (s.endsWith('\n')) s = s.slice(0, -1);
        return typedSlice(s.split('\n'), 'string');
      },
      AsConfig: () => {
        const m: GoMap = {};
        for (const [k, v] of files) m[base(k)] = text(v);
        return toYamlHelm(m);
      },
      AsSecrets: () => {
        const m: GoMap = {};
        for (const [k, v] of files) m[base(k)] = Buffer.from(v).toString('base64');
        return toYamlHelm(m);
      },
    },
    () => `map[${[...files.keys()].sort().map((k) => `${k}:[${Array.from(files.get(k) ?? []).join(' ')}]`).join(' ')}]`,
    view,
  );
}

/** Builds the file map of a chart's `.Files`; a lazy (large) file is read when a template first uses it, then kept. */
export function chartFilesMap(files: readonly ChartFile[]): Map<string, FileValue> {
  return new Map(
    files.map((f): [string, FileValue] => {
      if (!f.lazy) return [f.name, new Uint8Array(f.data)];
      let kept: Uint8Array | undefined;
      return [f.name, () => (kept ??= new Uint8Array(f.data))];
    }),
  );
}
