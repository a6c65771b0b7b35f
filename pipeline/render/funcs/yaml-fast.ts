/**
 * A fast reader for the plain YAML most rendered manifests are: block mappings and sequences, plain and
 * quoted scalars (double-quoted ones may span lines), literal `|`/`|-` scalars, one-line flow collections
 * and comments. Anything else (anchors, tags, folded or `|+` scalars, multi-line plain or flow, numbers other
 * than small decimal integers, words YAML 1.1 and 1.2 read differently, duplicate keys, ...) returns
 * undefined so the caller falls back to the `yaml` package. Where it returns a document, it is what
 * `parseDocument(text).toJS()` gives under both the 1.1 and the 1.2 core schema (yaml-fast.test.ts checks
 * this against the package on real and mutated manifests).
 */
import { closesOnLine, closingQuote, decodeDq, ESCAPES, Fallback, FALLBACK, hasUnsafeChar, isBlankFrom, MARKER, resolvePlain, UNDER_INDENTED } from './yaml-fast-scalars.js';

/** A document read on the fast path: the value, and the offset of its first content character. */
export interface FastYamlDocument {
  doc: Record<string, unknown>;
  offset: number;
}

class Reader {
  readonly lines: string[];
  /** Column where each line's content starts (moved right for a mapping that starts after `- `). */
  readonly col: number[];
  i = 0;

  constructor(text: string) {
    this.lines = text.split('\n');
    this.col = this.lines.map((l) => {
      let k = 0;
      while (l.charCodeAt(k) === 32) k++;
      return k;
    });
  }

  /** Moves past blank and comment-only lines. */
  skip(): void {
    const { lines, col } = this;
    while (this.i < lines.length) {
      const l = lines[this.i] as string;
      const c = col[this.i] as number;
      if (c < l.length && l.charCodeAt(c) !== 35) return;
      this.i++;
    }
  }

  isSeqItem(i: number): boolean {
    const l = this.lines[i] as string;
    const c = this.col[i] as number;
    return l.charCodeAt(c) === 45 && (c + 1 === l.length || l.charCodeAt(c + 1) === 32);
  }

  block(n: number): unknown {
    return this.isSeqItem(this.i) ? this.seq(n) : this.map(n);
  }

  map(n: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const { lines, col } = this;
    for (;;) {
      this.skip();
      if (this.i >= lines.length || (col[this.i] as number) < n) return obj;
      if (col[this.i] !== n || this.isSeqItem(this.i)) throw FALLBACK;
      const line = lines[this.i] as string;
      let p = n;
      let key: string;
      const q = line[p];
      if (q === '"' || q === "'") {
        const r = this.quoted(line, p);
        key = r.value;
        p = r.end;
        if (line.charCodeAt(p) !== 58 || (p + 1 < line.length && line.charCodeAt(p + 1) !== 32)) throw FALLBACK;
      } else {
        let k = p;
        for (;;) {
          k = line.indexOf(':', k);
          if (k < 0) throw FALLBACK;
          if (k + 1 === line.length || line.charCodeAt(k + 1) === 32) break;
          k++;
        }
        const raw = line.slice(p, k);
        if (raw === '' || raw.length > 1000 || raw.endsWith(' ')) throw FALLBACK;
        const v = resolvePlain(raw);
        if (typeof v !== 'string') throw FALLBACK;
        key = v;
        p = k;
      }
      if (key === '__proto__' || Object.prototype.hasOwnProperty.call(obj, key)) throw FALLBACK;
      obj[key] = this.value(line, p + 1, n, true);
    }
  }

  seq(n: number): unknown[] {
    const arr: unknown[] = [];
    const { lines, col } = this;
    for (;;) {
      this.skip();
      if (this.i >= lines.length || (col[this.i] as number) < n) return arr;
      if (col[this.i] !== n) throw FALLBACK;
      if (!this.isSeqItem(this.i)) return arr;
      const line = lines[this.i] as string;
      let q = n + 1;
      while (line.charCodeAt(q) === 32) q++;
      const c = line[q];
      if (q < line.length && c !== '#' && c !== '|' && c !== '[' && c !== '{' && this.startsMapping(line, q)) {
        col[this.i] = q;
        arr.push(this.map(q));
      } else {
        arr.push(this.value(line, n + 1, n, false));
      }
    }
  }

  /** Whether `line` from `p` is `key: …` rather than a scalar. */
  startsMapping(line: string, p: number): boolean {
    const c = line[p];
    if (c === '"' || c === "'") {
      // A quoted scalar that continues on the next line is a value, never a key.
      if (c === '"' ? !closesOnLine(line, p) : line.indexOf("'", p + 1) < 0) return false;
      const r = this.quoted(line, p);
      return line.charCodeAt(r.end) === 58;
    }
    if (c === '-' && (p + 1 === line.length || line.charCodeAt(p + 1) === 32)) throw FALLBACK; // `- - x`
    for (let k = line.indexOf(':', p); k >= 0; k = line.indexOf(':', k + 1)) {
      if (k + 1 === line.length || line.charCodeAt(k + 1) === 32) return true;
    }
    return false;
  }

  /** The value after `key:` or `- ` starting at `p` of the current line; `n` is the parent's indentation. */
  value(line: string, p: number, n: number, inMap: boolean): unknown {
    while (line.charCodeAt(p) === 32) p++;
    if (isBlankFrom(line, p)) {
      this.i++;
      this.skip();
      if (this.i < this.lines.length) {
        const c = this.col[this.i] as number;
        if (c > n) return this.block(c);
        if (c === n && inMap && this.isSeqItem(this.i)) return this.seq(n);
      }
      return null;
    }
    const c = line[p];
    if (c === '|') {
      const header = /^\|(-?)(?: +#.*)? *$/.exec(line.slice(p));
      if (!header) throw FALLBACK;
      this.i++;
      return this.literal(n, header[1] === '-');
    }
    let v: unknown;
    if (c === '"' && !closesOnLine(line, p)) {
      const r = this.multiQuoted(line, p, n);
      line = this.lines[this.i] as string;
      if (!isBlankFrom(line, r.end) || (r.end < line.length && line.charCodeAt(r.end) !== 32)) throw FALLBACK;
      v = r.value;
    } else if (c === '"' || c === "'") {
      const r = this.quoted(line, p);
      if (!isBlankFrom(line, r.end) || (r.end < line.length && line.charCodeAt(r.end) !== 32)) throw FALLBACK;
      v = r.value;
    } else if (c === '[' || c === '{') {
      const r = this.flow(line, p);
      if (!isBlankFrom(line, r.end) || (r.end < line.length && line.charCodeAt(r.end) !== 32)) throw FALLBACK;
      v = r.value;
    } else {
      v = resolvePlain(line.slice(p).trimEnd());
    }
    this.i++;
    return v;
  }

  /** A literal block scalar whose header was on the previous line; content is indented more than `n`. */
  literal(n: number, strip: boolean): string {
    const { lines } = this;
    const parts: string[] = [];
    let ci = -1;
    let leading = 0;
    let lastReal = -1;
    let lastSpaces = -1;
    for (; this.i < lines.length; this.i++) {
      const l = lines[this.i] as string;
      const ws = this.col[this.i] as number;
      if (ws === l.length) {
        if (ci < 0) leading = Math.max(leading, l.length);
        else if (l.length > ci) lastSpaces = parts.length;
        parts.push(ci >= 0 && l.length > ci ? l.slice(ci) : '');
        continue;
      }
      if (ci < 0) {
        if (ws <= n) break;
        ci = ws;
        if (leading > ci) throw FALLBACK;
      } else if (ws < ci) break;
      parts.push(l.slice(ci));
      lastReal = parts.length - 1;
    }
    if (ci < 0 ? leading > 0 : lastSpaces > lastReal) throw FALLBACK;
    if (lastReal < 0) return '';
    const body = parts.slice(0, lastReal + 1).join('\n');
    return strip ? body : `${body}\n`;
  }

  /**
   * A double-quoted scalar from `p` that continues on the next lines (each indented more than `n`): line
   * breaks fold to a space, empty lines to `\n`. Leaves `i` on the line holding the closing quote.
   */
  multiQuoted(line: string, p: number, n: number): { value: string; end: number } {
    let out = decodeDq(line.slice(p + 1).trimEnd());
    let empties = 0;
    for (this.i++; this.i < this.lines.length; this.i++) {
      const l = this.lines[this.i] as string;
      const c = this.col[this.i] as number;
      if (c === l.length) {
        empties++;
        continue;
      }
      if (c <= n) throw UNDER_INDENTED;
      out += empties > 0 ? '\n'.repeat(empties) : ' ';
      empties = 0;
      const close = closingQuote(l, c);
      if (close >= 0) return { value: out + decodeDq(l.slice(c, close)), end: close + 1 };
      out += decodeDq(l.slice(c).trimEnd());
    }
    throw FALLBACK;
  }

  /** A one-line flow collection at `p` (`[a, "b"]`, `{ k: v }`); `end` is just past its closing bracket. */
  flow(line: string, p: number): { value: unknown; end: number } {
    const open = line[p];
    const close = open === '[' ? ']' : '}';
    const arr: unknown[] = [];
    const obj: Record<string, unknown> = {};
    let k = p + 1;
    const ws = () => {
      while (line.charCodeAt(k) === 32) k++;
    };
    ws();
    if (line[k] === close) return { value: open === '[' ? arr : obj, end: k + 1 };
    for (;;) {
      ws();
      const item = this.flowScalar(line, k, open === '{');
      k = item.end;
      ws();
      if (open === '{') {
        if (line[k] !== ':' || line[k + 1] !== ' ' || typeof item.value !== 'string') throw FALLBACK;
        const key = item.value;
        if (key === '__proto__' || Object.prototype.hasOwnProperty.call(obj, key)) throw FALLBACK;
        k += 2;
        ws();
        const v = this.flowScalar(line, k, false);
        obj[key] = v.value;
        k = v.end;
        ws();
      } else {
        arr.push(item.value);
      }
      if (line[k] === close) return { value: open === '[' ? arr : obj, end: k + 1 };
      if (line[k] !== ',') throw FALLBACK;
      k++;
    }
  }

  /** A quoted or plain scalar, or a nested flow collection, inside a flow collection. */
  flowScalar(line: string, p: number, isKey: boolean): { value: unknown; end: number } {
    const c = line[p];
    if (c === '"' || c === "'") return this.quoted(line, p);
    if (c === '[' || c === '{') {
      if (isKey) throw FALLBACK;
      return this.flow(line, p);
    }
    let k = p;
    while (k < line.length && !',[]{}'.includes(line[k] as string) && !(line[k] === ':' && line[k + 1] === ' ')) k++;
    return { value: resolvePlain(line.slice(p, k).trimEnd(), true), end: k };
  }

  /** A one-line quoted scalar at `p`; `end` is just past the closing quote. */
  quoted(line: string, p: number): { value: string; end: number } {
    const q = line[p];
    let out = '';
    let k = p + 1;
    let from = k;
    for (;;) {
      if (k >= line.length) throw FALLBACK;
      const c = line[k];
      if (q === "'") {
        if (c === "'") {
          if (line[k + 1] === "'") {
            out += line.slice(from, k + 1);
            k += 2;
            from = k;
            continue;
          }
          return { value: out + line.slice(from, k), end: k + 1 };
        }
      } else if (c === '"') {
        return { value: out + line.slice(from, k), end: k + 1 };
      } else if (c === '\\') {
        const e = ESCAPES[line[k + 1] ?? ''];
        if (e === undefined) throw FALLBACK;
        out += line.slice(from, k) + e;
        k += 2;
        from = k;
        continue;
      }
      k++;
    }
  }
}

/** The document of `text` when it is simple enough for the fast path, else undefined (use the yaml package). */
export function parseSimpleYaml(text: string): FastYamlDocument | undefined {
  const r = read(text);
  return r === 'under-indented' ? undefined : r;
}

/**
 * Like parseSimpleYaml for callers that retry a rejected document with relaxQuotedScalarIndent: when the
 * fast reader finds the under-indented quoted continuation the yaml package rejects, it reads `relax(text)`
 * instead (`relaxed: true`; its offset is into the relaxed text).
 */
export function parseSimpleYamlRelaxed(text: string, relax: (text: string) => string): (FastYamlDocument & { relaxed: boolean }) | undefined {
  const r = read(text);
  if (r !== 'under-indented') return r && { ...r, relaxed: false };
  const again = read(relax(text));
  return again === 'under-indented' || again === undefined ? undefined : { ...again, relaxed: true };
}

function read(text: string): FastYamlDocument | 'under-indented' | undefined {
  if (hasUnsafeChar(text) || MARKER.test(text)) return undefined;
  const r = new Reader(text);
  try {
    r.skip();
    if (r.i >= r.lines.length || r.isSeqItem(r.i)) return undefined;
    const start = r.i;
    const n = r.col[start] as number;
    const doc = r.map(n);
    r.skip();
    if (r.i < r.lines.length) return undefined;
    let offset = n;
    for (let k = 0; k < start; k++) offset += (r.lines[k] as string).length + 1;
    return { doc, offset };
  } catch (e) {
    if (e === UNDER_INDENTED) return 'under-indented';
    if (e instanceof Fallback) return undefined;
    throw e;
  }
}
