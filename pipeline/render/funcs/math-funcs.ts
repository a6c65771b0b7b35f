/**
 * Sprig math functions (numeric.go and the arithmetic entries of functions.go): int64 arithmetic with Go
 * wrap-around, shopspring/decimal float arithmetic for the `*f` functions, ranges and `seq`.
 */
import { GoNumber } from '../template/values.js';
import type { FuncMap, GoValue } from '../template/values.js';
import { goParseInt, toFloat64, toInt, toInt64 } from './cast.js';
import { argInt, argStr, fn } from './define.js';
import { goSprintValue } from './go-format.js';
import { goInt, goInt64, typedSlice } from './go-types.js';
import { checkItems } from './budget.js';

interface Decimal {
  coef: bigint;
  exp: number;
}

/** decimal.NewFromFloat: the shortest decimal that round-trips to the float. */
function decimalFromFloat(f: number): Decimal {
  if (!Number.isFinite(f)) throw new Error(`Cannot create a Decimal from ${f}`);
  if (f === 0) return { coef: 0n, exp: 0 };
  const [mant = '0', e = '0'] = f.toExponential().split('e');
  const digits = mant.replace('.', '').replace('-', '');
  const frac = (mant.split('.')[1] ?? '').length;
  const coef = BigInt(digits) * (f < 0 ? -1n : 1n);
  return { coef, exp: Number(e) - frac };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

function decimalToFloat(d: Decimal): number {
  return Number(`${d.coef}e${d.exp}`);
}

type DecimalOp = (a: Decimal, b: Decimal) => Decimal;

const decAdd: DecimalOp = (a, b) => {
  const [x, y, exp] = align(a, b);
  return { coef: x + y, exp };
};
const decSub: DecimalOp = (a, b) => {
  const [x, y, exp] = align(a, b);
  return { coef: x - y, exp };
};
const decMul: DecimalOp = (a, b) => ({ coef: a.coef * b.coef, exp: a.exp + b.exp });

// Decimal.Div = DivRound(d2, 16): truncated quotient at 10^-16, then round half away from zero.
const decDiv: DecimalOp = (a, b) => {
  if (b.coef === 0n) throw new Error('decimal division by 0');
  const precision = 16;
  const e = a.exp - b.exp + precision;
  let num = a.coef;
  let den = b.coef;
  if (e >= 0) num *= 10n ** BigInt(e);
  else den *= 10n ** BigInt(-e);
  const q = num / den;
  const r = num % den;
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);
  let coef = q;
  if (2n * abs(r) >= abs(den)) coef += (a.coef < 0n) !== (b.coef < 0n) ? -1n : 1n;
  return { coef, exp: -precision };
};

function decimalOp(first: GoValue, rest: GoValue[], op: DecimalOp): number {
  let acc = decimalFromFloat(toFloat64(first));
  for (const x of rest) acc = op(acc, decimalFromFloat(toFloat64(x)));
  return decimalToFloat(acc);
}

/** Sprig's untilStep: the ints from start towards stop (exclusive) by step. */
export function untilStep(start: number, stop: number, step: number): bigint[] {
  const out: bigint[] = [];
  if (step !== 0) checkItems('untilStep', Math.ceil((stop - start) / step));
  if (stop < start) {
    if (step >= 0) return out;
    for (let i = start; i > stop; i += step) out.push(BigInt(i));
    return out;
  }
  if (step <= 0) return out;
  for (let i = start; i < stop; i += step) out.push(BigInt(i));
  return out;
}

function seq(...params: GoValue[]): string {
  const p = params.map(argInt);
  let list: bigint[] = [];
  if (p.length === 1) {
    const end = p[0] ?? 0;
    const inc = end < 1 ? -1 : 1;
    list = untilStep(1, end + inc, inc);
  } else if (p.length === 2) {
    const [start = 0, end = 0] = p;
    const step = end < start ? -1 : 1;
    list = untilStep(start, end + step, step);
  } else if (p.length === 3) {
    const [start = 0, step = 0, end = 0] = p;
    let inc = 1;
    if (end < start) {
      inc = -1;
      if (step > 0) return '';
    }
    list = untilStep(start, end + inc, step);
  }
  return list.join(' ');
}

function intDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  return goInt(a / b);
}

function intMod(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  return goInt(a % b);
}

function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) ? b : a;
  return a > b ? a : b;
}

function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) ? a : b;
  return a < b ? a : b;
}

/** Math family of Sprig's function map; `randInt` draws from the injected random source. */
export function mathFuncs(random: () => number): FuncMap {
  const i64 = (v: bigint): GoNumber => goInt64(v);
  return {
    add1: fn(['interface{}'], (x) => i64(toInt64(x) + 1n)),
    add: fn([], (...xs) => i64(xs.reduce<bigint>((a, x) => goInt(a + toInt64(x)), 0n)), 'interface{}'),
    sub: fn(['interface{}', 'interface{}'], (a, b) => i64(toInt64(a) - toInt64(b))),
    div: fn(['interface{}', 'interface{}'], (a, b) => i64(intDiv(toInt64(a), toInt64(b)))),
    mod: fn(['interface{}', 'interface{}'], (a, b) => i64(intMod(toInt64(a), toInt64(b)))),
    mul: fn(['interface{}'], (a, ...xs) => i64(xs.reduce<bigint>((acc, x) => goInt(acc * toInt64(x)), toInt64(a))), 'interface{}'),
    randInt: fn(['int', 'int'], (lo, hi) => {
      const [min, max] = [argInt(lo), argInt(hi)];
      if (max - min <= 0) throw new Error('invalid argument to Intn');
      return BigInt(Math.floor(random() * (max - min)) + min);
    }),
    add1f: fn(['interface{}'], (x) => decimalOp(x, [1n], decAdd)),
    addf: fn([], (...xs) => decimalOp(0, xs, decAdd), 'interface{}'),
    subf: fn(['interface{}'], (a, ...xs) => decimalOp(a, xs, decSub), 'interface{}'),
    divf: fn(['interface{}'], (a, ...xs) => decimalOp(a, xs, decDiv), 'interface{}'),
    mulf: fn(['interface{}'], (a, ...xs) => decimalOp(a, xs, decMul), 'interface{}'),
    biggest: fn(['interface{}'], (a, ...xs) => i64(xs.map(toInt64).reduce((m, x) => (x > m ? x : m), toInt64(a))), 'interface{}'),
    max: fn(['interface{}'], (a, ...xs) => i64(xs.map(toInt64).reduce((m, x) => (x > m ? x : m), toInt64(a))), 'interface{}'),
    min: fn(['interface{}'], (a, ...xs) => i64(xs.map(toInt64).reduce((m, x) => (x < m ? x : m), toInt64(a))), 'interface{}'),
    maxf: fn(['interface{}'], (a, ...xs) => xs.map(toFloat64).reduce(goMax, toFloat64(a)), 'interface{}'),
    minf: fn(['interface{}'], (a, ...xs) => xs.map(toFloat64).reduce(goMin, toFloat64(a)), 'interface{}'),
    ceil: fn(['interface{}'], (a) => Math.ceil(toFloat64(a))),
    floor: fn(['interface{}'], (a) => Math.floor(toFloat64(a))),
    round: fn(
      ['interface{}', 'int'],
      (a, p, ...opt) => {
        const roundOn = opt.length > 0 ? Number(opt[0]) : 0.5;
        const val = toFloat64(a);
        const pow = Math.pow(10, argInt(p));
        const digit = pow * val;
        const frac = digit - Math.trunc(digit);
        return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
      },
      'float64',
    ),
    until: fn(['int'], (c) => {
      const n = argInt(c);
      return typedSlice(untilStep(0, n, n < 0 ? -1 : 1), 'int');
    }),
    untilStep: fn(['int', 'int', 'int'], (a, b, c) => typedSlice(untilStep(argInt(a), argInt(b), argInt(c)), 'int')),
    seq: fn([], seq, 'int'),
    atoi: fn(['string'], (s) => {
      try {
        return goParseInt(argStr(s), 10);
      } catch {
        return 0n;
      }
    }),
    int64: fn(['interface{}'], (v) => i64(toInt64(v))),
    int: fn(['interface{}'], (v) => toInt(v)),
    float64: fn(['interface{}'], (v) => toFloat64(v)),
    toDecimal: fn(['interface{}'], (v) => {
      try {
        return i64(goParseInt(goSprintValue(v === undefined ? null : v), 8));
      } catch {
        return i64(0n);
      }
    }),
  };
}
