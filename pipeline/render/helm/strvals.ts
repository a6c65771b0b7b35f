/**
 * Helm's `--set` parser (helm/helm pkg/strvals/parser.go, ParseInto): `a.b=c`, `a={x,y}`, `a[0].b=x`,
 * backslash escapes, `true`/`false`/`null` (case-insensitive), decimal integers as int64, everything else a string.
 * The same parser reads `--set-string` (every value a string), `--set-file` (each value a path whose contents
 * become the value) and `--set-json` (each value one JSON document, Go's json.Decoder semantics).
 */
import { goQuote, goQuoteRune } from '../template/index.js';
import { GoNumber, isGoMap } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';
import { decodeJsonPrefix, isUnicodeSpace } from './strvals-json.js';

/** Helm's MaxIndex and MaxNestedNameLevel. */
const MAX_INDEX = 65536;
const MAX_NESTED = 30;

const EOF = Symbol('EOF');
const NOT_LIST = Symbol('not a list');
type Signal = typeof EOF | typeof NOT_LIST;

/** A strvals syntax error with Helm's message text. */
export class StrvalsError extends Error {}

export class Scanner {
  private pos = 0;
  constructor(private readonly runes: string[]) {}
  read(): string | typeof EOF {
    return this.pos < this.runes.length ? (this.runes[this.pos++] as string) : EOF;
  }
  unread(): void {
    this.pos--;
  }
  /** What is left to read (bytes.Buffer.String()). */
  rest(): string {
    return this.runes.slice(this.pos).join('');
  }
  skip(runes: number): void {
    this.pos += runes;
  }
}

/** A RunesValueReader: turns the runes of one value into the value stored; throws StrvalsError. */
export type ValueReader = (rs: string) => GoValue;

export function setKey(m: GoMap, k: string, v: GoValue): void {
  if (k.length === 0) return;
  Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** runesUntil: reads up to a stop rune, honouring `\` escapes; `last` is the stop rune or EOF. */
function runesUntil(sc: Scanner, stop: string): { v: string; last: string | typeof EOF } {
  let v = '';
  for (;;) {
    const r = sc.read();
    if (r === EOF) return { v, last: EOF };
    if (stop.includes(r)) return { v, last: r };
    if (r === '\\') {
      const next = sc.read();
      if (next === EOF) return { v, last: EOF };
      v += next;
    } else v += r;
  }
}

/** typedVal: with `asString` (--set-string) every value stays a string, even `null`. */
export function typedVal(val: string, asString = false): GoValue {
  if (asString) return val;
  const lower = val.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (val === '0') return new GoNumber('int64', 0n);
  if (val.length !== 0 && val[0] !== '0' && /^[+-]?[0-9]+$/.test(val)) {
    const n = BigInt(val);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return new GoNumber('int64', n);
  }
  return val;
}

/** fmt's %q of a []rune: each rune quoted, e.g. `['x' 'y']`. */
export function quoteRunes(s: string): string {
  return `[${Array.from(s, (r) => goQuoteRune(r.codePointAt(0) ?? 0)).join(' ')}]`;
}

/** The concrete type a failed Go type assertion names (`nil` for a nil interface). */
export function typeOf(v: GoValue): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoNumber) return v.kind;
  if (Array.isArray(v)) return '[]interface {}';
  if (isGoMap(v)) return 'map[string]interface {}';
  return 'interface {}';
}

/** The reader `--set` and `--set-string` use. */
function stringConverter(asString: boolean): ValueReader {
  return (rs) => typedVal(rs, asString);
}

class Parser {
  constructor(
    private readonly sc: Scanner,
    /** null: values are JSON (`--set-json`). */
    private readonly reader: ValueReader | null,
  ) {}

  private typed(rs: string): GoValue {
    return (this.reader as ValueReader)(rs);
  }

  /** emptyVal: skips spaces; true at a comma (consumed) or the end, false before any other rune (kept). */
  private emptyVal(): boolean {
    for (;;) {
      const r = this.sc.read();
      if (r === EOF || r === ',') return true;
      if (!isUnicodeSpace(r)) {
        this.sc.unread();
        return false;
      }
    }
  }

  /** One JSON document from the rest of the input (json.Decoder.Decode), then optional spaces and a comma. */
  private jsonVal(): GoValue {
    const { value, runes } = decodeJsonPrefix(this.sc.rest());
    this.sc.skip(runes);
    this.emptyVal();
    return value;
  }

  parse(data: GoMap): void {
    for (;;) {
      const r = this.key(data, 0);
      if (r === EOF) return;
    }
  }

  private key(data: GoMap, level: number): Signal | undefined {
    const { v: k, last } = runesUntil(this.sc, '=[,.');
    if (last === EOF) {
      if (k.length === 0) return EOF;
      throw new StrvalsError(`key ${goQuote(k)} has no value`);
    }
    if (last === '[') {
      const i = this.keyIndex();
      let list: GoValue[] = [];
      if (Object.hasOwn(data, k)) {
        const cur = data[k];
        if (!Array.isArray(cur)) throw new StrvalsError(`unable to parse key: interface conversion: interface {} is ${typeOf(cur)}, not []interface {}`);
        list = cur;
      }
      const res = this.listItem(list, i, level);
      setKey(data, k, res.list);
      return res.signal;
    }
    if (last === '=') {
      if (this.reader === null) {
        if (this.emptyVal()) setKey(data, k, null);
        else setKey(data, k, this.jsonVal());
        return undefined;
      }
      const vl = this.valList();
      if (Array.isArray(vl)) {
        setKey(data, k, vl);
        return undefined;
      }
      if (vl === EOF) {
        setKey(data, k, '');
        return EOF;
      }
      // Go reassigns the EOF of val() with the reader's nil error: the end of input surfaces on the next key.
      setKey(data, k, this.typed(runesUntil(this.sc, ',').v));
      return undefined;
    }
    if (last === ',') {
      setKey(data, k, '');
      throw new StrvalsError(`key ${goQuote(k)} has no value (cannot end with ,)`);
    }
    // last === '.'
    if (level + 1 > MAX_NESTED) throw new StrvalsError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED}`);
    let inner: GoMap = {};
    if (Object.hasOwn(data, k)) {
      const cur = data[k];
      if (!isGoMap(cur)) throw new StrvalsError(`unable to parse key: interface conversion: interface {} is ${typeOf(cur)}, not map[string]interface {}`);
      inner = cur;
    }
    const e = this.key(inner, level + 1);
    if (e === undefined && Object.keys(inner).length === 0) throw new StrvalsError(`key map ${goQuote(k)} has no value`);
    if (Object.keys(inner).length !== 0) setKey(data, k, inner);
    return e;
  }

  private keyIndex(): number {
    const { v, last } = runesUntil(this.sc, ']');
    if (last === EOF) throw new StrvalsError('error parsing index: EOF');
    if (!/^[+-]?[0-9]+$/.test(v)) throw new StrvalsError(`error parsing index: strconv.Atoi: parsing ${goQuote(v)}: invalid syntax`);
    return Number(v);
  }

  private setIndex(list: GoValue[], index: number, val: GoValue): GoValue[] {
    if (index < 0) throw new StrvalsError(`negative ${index} index not allowed`);
    if (index > MAX_INDEX) throw new StrvalsError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
    const out = list.length <= index ? [...list, ...new Array<GoValue>(index + 1 - list.length).fill(null)] : list;
    out[index] = val;
    return out;
  }

  private listItem(list: GoValue[], i: number, level: number): { list: GoValue[]; signal?: Signal } {
    if (i < 0) throw new StrvalsError(`negative ${i} index not allowed`);
    const { v: k, last } = runesUntil(this.sc, '[.=');
    if (k.length > 0) throw new StrvalsError(`unexpected data at end of array index: ${quoteRunes(k)}`);
    if (last === EOF) return { list, signal: EOF };
    if (last === '=') {
      if (this.reader === null) {
        if (this.emptyVal()) return { list: this.setIndex(list, i, null) };
        const { value, runes } = decodeJsonPrefix(this.sc.rest());
        const out = this.setIndex(list, i, value);
        this.sc.skip(runes);
        this.emptyVal();
        return { list: out };
      }
      const vl = this.valList();
      if (Array.isArray(vl)) return { list: this.setIndex(list, i, vl) };
      if (vl === EOF) return { list: this.setIndex(list, i, '') };
      return { list: this.setIndex(list, i, this.typed(runesUntil(this.sc, ',').v)) };
    }
    if (last === '[') {
      const nextI = this.keyIndex();
      let crt: GoValue[] = [];
      if (list.length > i && list[i] !== null && list[i] !== undefined) {
        const cur = list[i];
        if (!Array.isArray(cur)) throw new StrvalsError(`unable to parse key: interface conversion: interface {} is ${typeOf(cur)}, not []interface {}`);
        crt = cur;
      }
      const res = this.listItem(crt, nextI, level);
      return { list: this.setIndex(list, i, res.list), signal: res.signal };
    }
    // last === '.'
    let inner: GoMap = {};
    if (list.length > i) {
      const cur = list[i];
      if (isGoMap(cur)) inner = cur;
      else list[i] = inner;
    }
    const e = this.key(inner, level);
    // Helm returns the list unchanged when the nested key ends the input early (`a[0].b=`).
    if (e !== undefined) return { list, signal: e };
    return { list: this.setIndex(list, i, inner) };
  }

  /** A `{a,b}` list, NOT_LIST when the value does not start with `{`, EOF at the end of input. */
  private valList(): GoValue[] | Signal {
    const r = this.sc.read();
    if (r === EOF) return EOF;
    if (r !== '{') {
      this.sc.unread();
      return NOT_LIST;
    }
    const list: GoValue[] = [];
    for (;;) {
      const { v: rs, last } = runesUntil(this.sc, ',}');
      if (last === EOF) throw new StrvalsError("list must terminate with '}'");
      if (last === '}') {
        const next = this.sc.read();
        if (next !== EOF && next !== ',') this.sc.unread();
        list.push(this.typed(rs));
        return list;
      }
      list.push(this.typed(rs));
    }
  }
}

/** strvals.ParseInto: applies one `--set` expression to `dest` (mutated); throws StrvalsError. */
export function parseSetInto(expr: string, dest: GoMap): void {
  new Parser(new Scanner(Array.from(expr)), stringConverter(false)).parse(dest);
}

/** strvals.ParseIntoString: `--set-string`, every value a string. */
export function parseSetStringInto(expr: string, dest: GoMap): void {
  new Parser(new Scanner(Array.from(expr)), stringConverter(true)).parse(dest);
}

/** strvals.ParseIntoFile: `--set-file`, `read` turns each value (a path, escapes resolved) into the value. */
export function parseSetFileInto(expr: string, dest: GoMap, read: ValueReader): void {
  new Parser(new Scanner(Array.from(expr)), read).parse(dest);
}

/** strvals.ParseJSON: `--set-json` in the `key=JSON,key2=JSON` form; an empty value is null. */
export function parseSetJsonInto(expr: string, dest: GoMap): void {
  new Parser(new Scanner(Array.from(expr)), null).parse(dest);
}
