/**
 * strconv.FormatFloat for the formats fmt uses ('e', 'E', 'f', 'g', 'G'): shortest round-trip digits
 * (prec < 0) or exact decimal rounding half-to-even, with Go's %g exponent rule (eprec 6 when shortest).
 */

/** Decimal digits (no leading or trailing zeros) and decimal-point position: value = 0.d × 10^dp. */
interface Digits {
  d: string;
  dp: number;
}

function shortest64(x: number): Digits {
  if (Number.isInteger(x) && x < 1e21) {
    const s = String(x);
    const t = s.replace(/0+$/, '');
    return { d: t, dp: s.length };
  }
  const s = x.toExponential();
  const e = s.indexOf('e');
  const mant = s.slice(0, e).replace('.', '');
  return { d: mant.replace(/0+$/, ''), dp: Number(s.slice(e + 1)) + 1 };
}

function shortest32(x: number): Digits {
  for (let p = 1; p <= 9; p++) {
    const s = x.toExponential(p - 1);
    if (Math.fround(Number(s)) === x) {
      const e = s.indexOf('e');
      const mant = s.slice(0, e).replace('.', '');
      return { d: mant.replace(/0+$/, ''), dp: Number(s.slice(e + 1)) + 1 };
    }
  }
  return shortest64(x);
}

const view = new DataView(new ArrayBuffer(8));

/** The exact decimal expansion of a positive finite double. */
function exactDigits(x: number): Digits {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  let s: string;
  let dp: number;
  if (e2 >= 0) {
    s = (mant << BigInt(e2)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e2)).toString();
    dp = s.length + e2;
  }
  const trimmed = s.replace(/0+$/, '');
  const lead = trimmed.length - trimmed.replace(/^0+/, '').length;
  return { d: trimmed.slice(lead), dp: dp - lead };
}

/** Rounds to n significant digits, half to even on the exact value; trailing zeros trimmed. */
function roundDigits(x: Digits, n: number): Digits {
  const { d, dp } = x;
  if (n < 0) return { d: '', dp: 0 };
  if (n >= d.length) return x;
  const c = d.charCodeAt(n) - 48;
  let up: boolean;
  if (c > 5) up = true;
  else if (c < 5) up = false;
  else if (n + 1 < d.length) up = true;
  else up = n > 0 && (d.charCodeAt(n - 1) - 48) % 2 === 1;
  if (!up) {
    const t = d.slice(0, n).replace(/0+$/, '');
    return t === '' ? { d: '', dp: 0 } : { d: t, dp };
  }
  let i = n - 1;
  while (i >= 0 && d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: dp + 1 };
  return { d: d.slice(0, i) + String.fromCharCode(d.charCodeAt(i) + 1), dp };
}

function fmtE(neg: boolean, x: Digits, prec: number, fmt: string): string {
  let out = neg ? '-' : '';
  out += x.d.length === 0 ? '0' : x.d[0];
  if (prec > 0) {
    out += '.';
    const frac = x.d.slice(1, 1 + prec);
    out += frac + '0'.repeat(prec - frac.length);
  }
  out += fmt;
  let exp = x.d.length === 0 ? 0 : x.dp - 1;
  out += exp < 0 ? '-' : '+';
  if (exp < 0) exp = -exp;
  out += exp < 10 ? `0${exp}` : String(exp);
  return out;
}

function fmtF(neg: boolean, x: Digits, prec: number): string {
  let out = neg ? '-' : '';
  if (x.dp > 0) {
    const intPart = x.d.slice(0, x.dp);
    out += intPart + '0'.repeat(x.dp - intPart.length);
  } else out += '0';
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      const j = x.dp + i;
      out += j >= 0 && j < x.d.length ? x.d[j] : '0';
    }
  }
  return out;
}

/** strconv.FormatFloat(x, fmt, prec, bitSize) for fmt in e E f g G (others fall back to 'g'). */
export function formatFloat(x: number, fmt: string, prec: number, bitSize: 32 | 64 = 64): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (bitSize === 32) x = Math.fround(x);
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const shortest = prec < 0;
  let digs: Digits;
  if (abs === 0) digs = { d: '', dp: 0 };
  else if (shortest) digs = bitSize === 32 ? shortest32(abs) : shortest64(abs);
  else {
    const exact = exactDigits(abs);
    if (fmt === 'f') digs = roundDigits(exact, exact.dp + prec);
    else if (fmt === 'e' || fmt === 'E') digs = roundDigits(exact, prec + 1);
    else digs = roundDigits(exact, prec === 0 ? 1 : prec);
  }
  if (shortest) {
    if (fmt === 'e' || fmt === 'E') prec = digs.d.length - 1;
    else if (fmt === 'f') prec = Math.max(digs.d.length - digs.dp, 0);
    else prec = digs.d.length;
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, digs, prec, fmt);
    case 'f':
      return fmtF(neg, digs, prec);
    default: {
      const e = fmt === 'G' ? 'E' : 'e';
      if (!shortest && prec === 0) prec = 1;
      let eprec = prec;
      if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
      if (shortest) eprec = 6;
      const exp = digs.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > digs.d.length) prec = digs.d.length;
        return fmtE(neg, digs, prec - 1, e);
      }
      if (prec > digs.dp) prec = digs.d.length;
      return fmtF(neg, digs, Math.max(prec - digs.dp, 0));
    }
  }
}

/** fmt's %v for a float64: shortest %g (1e+06, 1.5, 1e-05). */
export function formatFloatV(x: number): string {
  // Fast path for the common integral case below 1e6 (prints like JS).
  if (Number.isInteger(x) && x < 1e6 && x > -1e6 && !Object.is(x, -0)) return String(x);
  return formatFloat(x, 'g', -1, 64);
}
