/**
 * fmt's value printer (fmt/print.go printArg/printValue) over GoValue: per-kind verbs, containers,
 * structs, bad-verb forms. Used by gofmt.ts for Sprint, Sprintln and Sprintf.
 */
import { formatFloatV } from './go-float.js';
import { elemType, typeName } from './go-kinds.js';
import { compareGoStrings } from './go-strconv.js';
import { Fmt } from './gofmt-verbs.js';
import { GoNumber, GoStruct } from './values.js';
import type { GoMap, GoValue } from './values.js';

/** One fmt printer: the output buffer is `f.buf`. */
export class Printer {
  readonly f = new Fmt();
  erroring = false;

  /** Formats one operand (fmt's printArg). */
  printArg(arg: GoValue, verb: string): void {
    const f = this.f;
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') f.pad('<nil>');
      else this.badVerb(verb, arg);
      return;
    }
    if (verb === 'T') {
      f.fmtS(typeName(arg));
      return;
    }
    if (verb === 'p') {
      this.badVerb(verb, arg);
      return;
    }
    this.printValue(arg, verb, 0);
  }

  /** fmt's printValue: containers recurse with depth + 1; Stringer-like structs use their format. */
  printValue(v: GoValue, verb: string, depth: number): void {
    const f = this.f;
    switch (typeof v) {
      case 'undefined':
        if (f.sharpV) f.buf += 'interface {}(nil)';
        else f.buf += '<nil>';
        return;
      case 'boolean':
        if (verb === 't' || verb === 'v') f.fmtBoolean(v);
        else this.badVerb(verb, v);
        return;
      case 'number':
        this.fmtFloat(v, 64, verb);
        return;
      case 'bigint':
        this.fmtInteger(v, true, verb, v);
        return;
      case 'string':
        this.fmtString(v, verb);
        return;
      case 'function':
        if (verb === 'v' && !f.sharpV) f.pad('0x0');
        else this.badVerb(verb, v);
        return;
    }
    if (v === null) {
      if (f.sharpV) f.buf += 'interface {}(nil)';
      else f.buf += '<nil>';
      return;
    }
    if (v instanceof GoNumber) {
      if (v.kind === 'float32') this.fmtFloat(Number(v.value), 32, verb);
      else this.fmtInteger(BigInt(v.value), !v.kind.startsWith('u'), verb, v);
      return;
    }
    if (v instanceof Uint8Array) {
      this.fmtBytes(v, verb, depth === 0 ? '[]byte' : '[]uint8');
      return;
    }
    if (v instanceof GoStruct) {
      this.printStruct(v, verb, depth);
      return;
    }
    if (Array.isArray(v)) {
      if (f.sharpV) {
        f.buf += `${typeName(v)}{`;
        for (let i = 0; i < v.length; i++) {
          if (i > 0) f.buf += ', ';
          this.printValue(v[i], verb, depth + 1);
        }
        f.buf += '}';
      } else {
        f.buf += '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) f.buf += ' ';
          this.printValue(v[i], verb, depth + 1);
        }
        f.buf += ']';
      }
      return;
    }
    this.printMap(v as GoMap, verb, depth);
  }

  private printMap(m: GoMap, verb: string, depth: number): void {
    const f = this.f;
    const keys = Object.keys(m).sort(compareGoStrings);
    f.buf += f.sharpV ? `map[string]${elemType(m)}{` : 'map[';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      if (i > 0) f.buf += f.sharpV ? ', ' : ' ';
      this.printValue(k, verb, depth + 1);
      f.buf += ':';
      this.printValue(m[k], verb, depth + 1);
    }
    f.buf += f.sharpV ? '}' : ']';
  }

  private printStruct(s: GoStruct, verb: string, depth: number): void {
    const f = this.f;
    if (s.format && !f.sharpV && (verb === 'v' || verb === 's' || verb === 'x' || verb === 'X' || verb === 'q')) {
      this.fmtString(s.format(), verb);
      return;
    }
    const ptr = s.typeName.startsWith('*');
    if (ptr) f.buf += '&';
    if (f.sharpV) f.buf += ptr ? s.typeName.slice(1) : s.typeName;
    f.buf += '{';
    let i = 0;
    for (const [name, value] of Object.entries(s.fields)) {
      if (i++ > 0) f.buf += f.sharpV ? ', ' : ' ';
      if (f.plusV || f.sharpV) f.buf += `${name}:`;
      this.printValue(value, verb, depth + 1);
    }
    f.buf += '}';
  }

  badVerb(verb: string, v: GoValue): void {
    this.erroring = true;
    const f = this.f;
    f.buf += `%!${verb}(`;
    if (v === null || v === undefined) f.buf += '<nil>';
    else {
      f.buf += `${typeName(v)}=`;
      this.printArg(v, 'v');
    }
    f.buf += ')';
    this.erroring = false;
  }

  fmtInteger(v: bigint, signed: boolean, verb: string, orig: GoValue): void {
    const f = this.f;
    switch (verb) {
      case 'v':
        if (f.sharpV && !signed) this.fmt0x64(v, true);
        else f.fmtInteger(v, 10, verb, false);
        return;
      case 'd':
        f.fmtInteger(v, 10, verb, false);
        return;
      case 'b':
        f.fmtInteger(v, 2, verb, false);
        return;
      case 'o':
      case 'O':
        f.fmtInteger(v, 8, verb, false);
        return;
      case 'x':
        f.fmtInteger(v, 16, verb, false);
        return;
      case 'X':
        f.fmtInteger(v, 16, verb, true);
        return;
      case 'c':
        f.fmtC(BigInt.asUintN(64, v));
        return;
      case 'q':
        f.fmtQc(BigInt.asUintN(64, v));
        return;
      case 'U':
        f.fmtUnicode(BigInt.asUintN(64, v));
        return;
      default:
        this.badVerb(verb, orig);
    }
  }

  private fmt0x64(v: bigint, leading0x: boolean): void {
    const f = this.f;
    const sharp = f.sharp;
    f.sharp = leading0x;
    f.fmtInteger(v, 16, 'v', false);
    f.sharp = sharp;
  }

  fmtFloat(v: number, size: 32 | 64, verb: string): void {
    const f = this.f;
    switch (verb) {
      case 'v':
        if (!f.widPresent && !f.precPresent && !f.plus && !f.space && !f.sharp && size === 64) f.buf += formatFloatV(v);
        else f.fmtFloat(v, size, 'g', -1);
        return;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        f.fmtFloat(v, size, verb, -1);
        return;
      case 'f':
      case 'e':
      case 'E':
        f.fmtFloat(v, size, verb, 6);
        return;
      case 'F':
        f.fmtFloat(v, size, 'f', 6);
        return;
      default:
        this.badVerb(verb, size === 32 ? new GoNumber('float32', v) : v);
    }
  }

  fmtString(v: string, verb: string): void {
    const f = this.f;
    switch (verb) {
      case 'v':
        if (f.sharpV) f.fmtQ(v);
        else if (!f.widPresent && !f.precPresent) f.buf += v;
        else f.fmtS(v);
        return;
      case 's':
        f.fmtS(v);
        return;
      case 'x':
        f.fmtSx(v, false);
        return;
      case 'X':
        f.fmtSx(v, true);
        return;
      case 'q':
        f.fmtQ(v);
        return;
      default:
        this.badVerb(verb, v);
    }
  }

  fmtBytes(v: Uint8Array, verb: string, typeString: string): void {
    const f = this.f;
    switch (verb) {
      case 'v':
      case 'd':
        if (f.sharpV) {
          f.buf += `${typeString}{`;
          for (let i = 0; i < v.length; i++) {
            if (i > 0) f.buf += ', ';
            this.fmt0x64(BigInt(v[i] ?? 0), true);
          }
          f.buf += '}';
        } else {
          f.buf += '[';
          for (let i = 0; i < v.length; i++) {
            if (i > 0) f.buf += ' ';
            f.fmtInteger(BigInt(v[i] ?? 0), 10, verb, false);
          }
          f.buf += ']';
        }
        return;
      case 's':
        f.pad(f.truncateString(new TextDecoder().decode(v)));
        return;
      case 'x':
        f.fmtSbx(v, false);
        return;
      case 'X':
        f.fmtSbx(v, true);
        return;
      case 'q':
        f.fmtQ(new TextDecoder().decode(v));
        return;
      default: {
        f.buf += '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) f.buf += ' ';
          this.fmtInteger(BigInt(v[i] ?? 0), false, verb, new GoNumber('uint8', BigInt(v[i] ?? 0)));
        }
        f.buf += ']';
      }
    }
  }
}
