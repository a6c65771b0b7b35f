/**
 * gopkg.in/yaml.v2 scalar resolution (resolve.go): which plain scalars are bools, nulls, ints, floats or
 * timestamps under YAML 1.1 rules, used both to parse values and to decide when toYaml must quote.
 */
import { goParseFloat, goParseInt } from './cast.js';

export type ResolvedScalar =
  | { tag: 'str'; value: string }
  | { tag: 'bool'; value: boolean }
  | { tag: 'null'; value: null }
  | { tag: 'int'; value: bigint }
  | { tag: 'float'; value: number }
  | { tag: 'timestamp'; value: string }
  | { tag: 'merge'; value: string };

const MAP: Record<string, ResolvedScalar> = {};
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) MAP[s] = { tag: 'bool', value: true };
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) MAP[s] = { tag: 'bool', value: false };
for (const s of ['', '~', 'null', 'Null', 'NULL']) MAP[s] = { tag: 'null', value: null };
for (const s of ['.nan', '.NaN', '.NAN']) MAP[s] = { tag: 'float', value: NaN };
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) MAP[s] = { tag: 'float', value: Infinity };
for (const s of ['-.inf', '-.Inf', '-.INF']) MAP[s] = { tag: 'float', value: -Infinity };
MAP['<<'] = { tag: 'merge', value: '<<' };

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// parseTimestamp: the subset of yaml.org/type/timestamp that yaml.v2 accepts via time.Parse.
function isTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false;
  const m =
    /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2}))|(?: ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?))?$/.exec(
      s,
    );
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  const h = m[4] ?? m[7];
  const mi = m[5] ?? m[8];
  const se = m[6] ?? m[9];
  if (h === undefined) return true;
  return Number(h) < 24 && Number(mi) < 60 && Number(se) < 60;
}

function tryInt(s: string, base = 0): bigint | undefined {
  try {
    return goParseInt(s, base);
  } catch {
    return undefined;
  }
}

// strconv.ParseUint(s, 0, 64) (underscores are already removed by the caller).
function tryUint(s: string): bigint | undefined {
  const m = /^0[xX]([0-9a-fA-F]+)$|^0[oO]([0-7]+)$|^0[bB]([01]+)$|^0([0-7]*)$|^([1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  let v: bigint;
  if (m[1] !== undefined) v = BigInt(`0x${m[1]}`);
  else if (m[2] !== undefined) v = BigInt(`0o${m[2]}`);
  else if (m[3] !== undefined) v = BigInt(`0b${m[3]}`);
  else if (m[4] !== undefined) v = m[4] === '' ? 0n : BigInt(`0o${m[4]}`);
  else v = BigInt(m[5] ?? '0');
  return v <= 0xffffffffffffffffn ? v : undefined;
}

/** resolve("", s): the type yaml.v2 gives an untagged plain scalar. */
export function resolvePlain(s: string): ResolvedScalar {
  const first = s[0] ?? '';
  let hint = '';
  if (s === '') hint = 'N';
  else if (first === '+' || first === '-') hint = 'S';
  else if (first >= '0' && first <= '9') hint = 'D';
  else if ('yYnNtTfFoO~'.includes(first)) hint = 'M';
  else if (first === '.') hint = '.';
  if (hint === '') return { tag: 'str', value: s };
  const item = MAP[s];
  if (item) return item;
  if (hint === '.') {
    try {
      return { tag: 'float', value: goParseFloat(s) };
    } catch {
      return { tag: 'str', value: s };
    }
  }
  if (hint === 'D' || hint === 'S') {
    if (isTimestamp(s)) return { tag: 'timestamp', value: s };
    const plain = s.replaceAll('_', '');
    const i = tryInt(plain);
    if (i !== undefined) return { tag: 'int', value: i };
    const u = tryUint(plain);
    if (u !== undefined) return { tag: 'int', value: u };
    if (YAML_STYLE_FLOAT.test(plain)) {
      try {
        return { tag: 'float', value: goParseFloat(plain) };
      } catch {
        /* not a float */
      }
    }
    if (plain.startsWith('0b')) {
      const b = tryInt(plain.slice(2), 2);
      if (b !== undefined) return { tag: 'int', value: b };
    } else if (plain.startsWith('-0b')) {
      const b = tryInt(`-${plain.slice(3)}`, 2);
      if (b !== undefined) return { tag: 'int', value: b };
    }
  }
  return { tag: 'str', value: s };
}

/** True when yaml.v2 may write the string unquoted (it resolves back to a string and is no base-60 float). */
export function canUsePlain(s: string): boolean {
  if (resolvePlain(s).tag !== 'str') return false;
  const c = s[0] ?? '';
  const base60 = (c === '+' || c === '-' || (c >= '0' && c <= '9')) && s.includes(':') && BASE60.test(s);
  return !base60;
}
