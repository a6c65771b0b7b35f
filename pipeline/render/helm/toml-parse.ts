/**
 * TOML 1.0 into Go values for Helm's `fromToml` (BurntSushi/toml Unmarshal into map[string]interface{}):
 * integers are int64, floats float64, arrays of tables `[]map[string]interface {}`. Date-times stay text.
 */
import { typedSlice } from '../funcs/go-types.js';
import { GoNumber, isGoMap } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';

/** A TOML syntax error ("toml: line N: ..."). */
export class TomlError extends Error {}

const BARE = /[A-Za-z0-9_-]/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?)?|^\d{2}:\d{2}:\d{2}(?:\.\d+)?/;

function setKey(m: GoMap, k: string, v: GoValue): void {
  Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
}

class Reader {
  i = 0;
  constructor(readonly s: string) {}

  line(): number {
    return this.s.slice(0, this.i).split('\n').length;
  }

  fail(msg: string): never {
    throw new TomlError(`toml: line ${this.line()}: ${msg}`);
  }

  peek(n = 0): string {
    return this.s[this.i + n] ?? '';
  }

  ws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }

  /** Skips blanks, newlines and comments. */
  wsNl(): void {
    for (;;) {
      this.ws();
      if (this.peek() === '#') while (this.i < this.s.length && this.peek() !== '\n') this.i++;
      if (this.peek() === '\n' || this.peek() === '\r') this.i++;
      else return;
    }
  }

  endOfLine(): void {
    this.ws();
    if (this.peek() === '#') while (this.i < this.s.length && this.peek() !== '\n') this.i++;
    if (this.peek() === '\r') this.i++;
    if (this.i < this.s.length && this.peek() !== '\n') this.fail(`expected a new line, found ${JSON.stringify(this.peek())}`);
    this.i++;
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.ws();
      const c = this.peek();
      if (c === '"' || c === "'") parts.push(this.string());
      else {
        const start = this.i;
        while (BARE.test(this.peek())) this.i++;
        if (start === this.i) this.fail(`invalid key character ${JSON.stringify(c)}`);
        parts.push(this.s.slice(start, this.i));
      }
      this.ws();
      if (this.peek() !== '.') return parts;
      this.i++;
    }
  }

  string(): string {
    const q = this.peek();
    const multi = this.s.startsWith(q.repeat(3), this.i);
    this.i += multi ? 3 : 1;
    if (multi && this.peek() === '\n') this.i++;
    else if (multi && this.s.startsWith('\r\n', this.i)) this.i += 2;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail('unexpected EOF in string');
      const c = this.peek();
      if (!multi && c === q) {
        this.i++;
        return out;
      }
      if (multi && this.s.startsWith(q.repeat(3), this.i)) {
        // Up to two quotes right before the closing delimiter belong to the string.
        let n = 3;
        while (n < 5 && this.s[this.i + n] === q) n++;
        this.i += n;
        return out + q.repeat(n - 3);
      }
      if (!multi && c === '\n') this.fail('strings cannot contain new lines');
      if (q === '"' && c === '\\') {
        const e = this.peek(1);
        this.i += 2;
        const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
        if (e in simple) out += simple[e];
        else if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          const hex = this.s.slice(this.i, this.i + len);
          if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) this.fail(`invalid escape \\${e}${hex}`);
          out += String.fromCodePoint(parseInt(hex, 16));
          this.i += len;
        } else if (multi && /[ \t\r\n]/.test(e)) {
          this.i--;
          while (/[ \t\r\n]/.test(this.peek())) this.i++;
        } else this.fail(`invalid escape character ${JSON.stringify(e)}`);
        continue;
      }
      out += c;
      this.i++;
    }
  }

  value(): GoValue {
    const c = this.peek();
    if (c === '"' || c === "'") return this.string();
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    const rest = this.s.slice(this.i);
    const dt = DATETIME.exec(rest);
    if (dt) {
      this.i += dt[0].length;
      return dt[0];
    }
    const m = /^[^\s,\]}#]+/.exec(rest);
    if (!m) this.fail(`expected a value, found ${JSON.stringify(c)}`);
    this.i += m[0].length;
    const t = m[0];
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (/^[+-]?(inf|nan)$/.test(t)) return t.includes('nan') ? NaN : t.startsWith('-') ? -Infinity : Infinity;
    const clean = t.replace(/_/g, '');
    if (/^0x[0-9A-Fa-f]+$|^0o[0-7]+$|^0b[01]+$/.test(clean)) return new GoNumber('int64', BigInt(clean));
    if (/^[+-]?(0|[1-9][0-9]*)$/.test(clean)) {
      const n = BigInt(clean);
      if (n >= -(2n ** 63n) && n < 2n ** 63n) return new GoNumber('int64', n);
      this.fail(`integer ${t} out of range`);
    }
    if (/^[+-]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(clean)) return Number(clean);
    this.fail(`invalid value ${JSON.stringify(t)}`);
  }

  array(): GoValue[] {
    this.i++;
    const out: GoValue[] = [];
    for (;;) {
      this.wsNl();
      if (this.peek() === ']') {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.wsNl();
      if (this.peek() === ',') this.i++;
      else if (this.peek() !== ']') this.fail(`expected , or ] in array, found ${JSON.stringify(this.peek())}`);
    }
  }

  inlineTable(): GoMap {
    this.i++;
    const out: GoMap = {};
    this.ws();
    if (this.peek() === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      const k = this.key();
      if (this.peek() !== '=') this.fail('expected = after key');
      this.i++;
      this.ws();
      assign(this, out, k, this.value());
      this.ws();
      if (this.peek() === '}') {
        this.i++;
        return out;
      }
      if (this.peek() !== ',') this.fail('expected , or } in inline table');
      this.i++;
    }
  }
}

function descend(r: Reader, m: GoMap, parts: string[], forArrayOfTables = false): GoMap {
  let cur = m;
  for (const p of parts) {
    if (!Object.hasOwn(cur, p)) setKey(cur, p, {});
    let next = cur[p];
    // A table header under an array of tables extends its last element.
    if (Array.isArray(next) && (forArrayOfTables || next.length > 0)) next = next[next.length - 1];
    if (!isGoMap(next)) r.fail(`key "${p}" is already defined as a value`);
    cur = next;
  }
  return cur;
}

function assign(r: Reader, table: GoMap, key: string[], value: GoValue): void {
  const parent = descend(r, table, key.slice(0, -1));
  const last = key[key.length - 1] as string;
  if (Object.hasOwn(parent, last)) r.fail(`key "${key.join('.')}" is already defined`);
  setKey(parent, last, value);
}

/** Parses a TOML document; throws TomlError. */
export function parseToml(text: string): GoMap {
  const r = new Reader(text);
  const root: GoMap = {};
  let current = root;
  for (;;) {
    r.wsNl();
    if (r.i >= text.length) return root;
    if (r.peek() === '[') {
      const isArray = r.peek(1) === '[';
      r.i += isArray ? 2 : 1;
      const key = r.key();
      if (!text.startsWith(isArray ? ']]' : ']', r.i)) r.fail('expected ] after table name');
      r.i += isArray ? 2 : 1;
      if (isArray) {
        const parent = descend(r, root, key.slice(0, -1), true);
        const last = key[key.length - 1] as string;
        const found = Object.hasOwn(parent, last) ? parent[last] : typedSlice([], 'map[string]interface {}');
        if (!Array.isArray(found)) return r.fail(`key "${key.join('.')}" is already defined as a table`);
        const list: GoValue[] = found;
        current = {};
        list.push(current);
        setKey(parent, last, list);
      } else current = descend(r, root, key);
      r.endOfLine();
      continue;
    }
    const key = r.key();
    if (r.peek() !== '=') r.fail(`expected = after key "${key.join('.')}"`);
    r.i++;
    r.ws();
    assign(r, current, key, r.value());
    r.endOfLine();
  }
}
