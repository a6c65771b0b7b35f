/**
 * Go fmt emulation over GoValue (fmt/print.go): Sprint, Sprintln and Sprintf with Go's verbs, flags,
 * bad-verb and missing/extra-argument forms. `null`/`undefined` are a nil interface (`<nil>`).
 */
import { formatFloatV } from './go-float.js';
import { typeName } from './go-kinds.js';
import { Printer } from './gofmt-printer.js';
import { GoNumber } from './values.js';
import type { GoValue } from './values.js';

function isStringArg(v: GoValue): boolean {
  return typeof v === 'string';
}

/** fmt.Sprint: operands in %v, with a space between two operands when neither is a string. */
export function goSprint(...args: GoValue[]): string {
  if (args.length === 1) {
    const a = args[0];
    if (typeof a === 'string') return a;
    if (typeof a === 'number') return formatFloatV(a);
    if (typeof a === 'bigint') return a.toString();
  }
  const p = new Printer();
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const isString = isStringArg(arg);
    if (i > 0 && !isString && !prevString) p.f.buf += ' ';
    p.printArg(arg, 'v');
    prevString = isString;
  }
  return p.f.buf;
}

/** fmt.Sprintln: operands in %v separated by spaces, plus a newline. */
export function goSprintln(...args: GoValue[]): string {
  const p = new Printer();
  for (let i = 0; i < args.length; i++) {
    if (i > 0) p.f.buf += ' ';
    p.printArg(args[i], 'v');
  }
  return `${p.f.buf}\n`;
}

function parsenum(s: string, start: number, end: number): { num: number; isnum: boolean; next: number } {
  if (start >= end) return { num: 0, isnum: false, next: end };
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
    if (num > 1e6 || num < -1e6) return { num: 0, isnum: false, next: end };
    num = num * 10 + (s.charCodeAt(i) - 48);
    isnum = true;
  }
  return { num, isnum, next: i };
}

function intFromArg(a: GoValue[], argNum: number): { num: number; isInt: boolean; next: number } {
  let num = 0;
  let isInt = false;
  let next = argNum;
  if (argNum < a.length) {
    const v = a[argNum];
    if (typeof v === 'bigint') {
      if (v >= -(1n << 63n) && v < 1n << 63n) {
        num = Number(v);
        isInt = true;
      }
    } else if (v instanceof GoNumber && v.kind !== 'float32') {
      const n = BigInt(v.value);
      if (n >= -(1n << 63n) && n < 1n << 63n) {
        num = Number(n);
        isInt = true;
      }
    }
    next = argNum + 1;
    if (num > 1e6 || num < -1e6) {
      num = 0;
      isInt = false;
    }
  }
  return { num, isInt, next };
}

/** fmt.Sprintf with Go's verbs, flags, `*` width/precision, `[n]` indexes and error forms. */
export function goSprintf(format: string, ...a: GoValue[]): string {
  const p = new Printer();
  const f = p.f;
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  const argNumber = (i: number): number => {
    if (end <= i || format[i] !== '[') return i;
    reordered = true;
    // parseArgNumber
    const rest = format.slice(i);
    let index = 0;
    let wid = 1;
    let ok = false;
    if (rest.length >= 3) {
      for (let j = 1; j < rest.length; j++) {
        if (rest[j] === ']') {
          const n = parsenum(rest, 1, j);
          if (!n.isnum || n.next !== j) {
            wid = j + 1;
          } else {
            index = n.num - 1;
            wid = j + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && index >= 0 && index < a.length) {
      argNum = index;
      afterIndex = true;
      return i + wid;
    }
    goodArgNum = false;
    afterIndex = ok;
    return i + wid;
  };

  let i = 0;
  formatLoop: while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== '%') i++;
    if (i > lasti) f.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    f.clearflags();
    simple: for (; i < end; i++) {
      const c = format[i] as string;
      switch (c) {
        case '#':
          f.sharp = true;
          break;
        case '0':
          f.zero = !f.minus;
          break;
        case '+':
          f.plus = true;
          break;
        case '-':
          f.minus = true;
          f.zero = false;
          break;
        case ' ':
          f.space = true;
          break;
        default:
          if (c >= 'a' && c <= 'z' && argNum < a.length) {
            if (c === 'v') {
              f.sharpV = f.sharp;
              f.sharp = false;
              f.plusV = f.plus;
              f.plus = false;
            }
            p.printArg(a[argNum], c);
            argNum++;
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }
    afterIndex = false;
    i = argNumber(i);
    if (i < end && format[i] === '*') {
      i++;
      const r = intFromArg(a, argNum);
      f.wid = r.num;
      f.widPresent = r.isInt;
      argNum = r.next;
      if (!f.widPresent) f.buf += '%!(BADWIDTH)';
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      const r = parsenum(format, i, end);
      f.wid = r.num;
      f.widPresent = r.isnum;
      i = r.next;
      if (afterIndex && f.widPresent) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      afterIndex = false;
      i = argNumber(i);
      if (i < end && format[i] === '*') {
        i++;
        const r = intFromArg(a, argNum);
        f.prec = r.num;
        f.precPresent = r.isInt;
        argNum = r.next;
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) f.buf += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const r = parsenum(format, i, end);
        f.prec = r.num;
        f.precPresent = r.isnum;
        i = r.next;
        if (!f.precPresent) {
          f.prec = 0;
          f.precPresent = true;
        }
      }
    }
    if (!afterIndex) i = argNumber(i);
    if (i >= end) {
      f.buf += '%!(NOVERB)';
      break;
    }
    const cp = format.codePointAt(i) ?? 0;
    const verb = String.fromCodePoint(cp);
    i += verb.length;
    if (verb === '%') f.buf += '%';
    else if (!goodArgNum) f.buf += `%!${verb}(BADINDEX)`;
    else if (argNum >= a.length) f.buf += `%!${verb}(MISSING)`;
    else {
      if (verb === 'v') {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      p.printArg(a[argNum], verb);
      argNum++;
    }
  }
  if (!reordered && argNum < a.length) {
    f.clearflags();
    f.buf += '%!(EXTRA ';
    for (let j = argNum; j < a.length; j++) {
      if (j > argNum) f.buf += ', ';
      const arg = a[j];
      if (arg === null || arg === undefined) f.buf += '<nil>';
      else {
        f.buf += `${typeName(arg)}=`;
        p.printArg(arg, 'v');
      }
    }
    f.buf += ')';
  }
  return f.buf;
}
