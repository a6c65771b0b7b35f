/**
 * Go time emulation for Sprig's date functions: time.Time as a GoStruct (nanoseconds since the epoch
 * plus a fixed zone), layout-based Format/Parse ("2006-01-02 15:04:05"), Duration String and ParseDuration.
 * Zones: UTC and fixed offsets; IANA names are resolved through Intl (abbreviations may differ from Go's).
 */
import { GoNumber, GoStruct } from '../template/values.js';
import { setJsonValue } from './go-json.js';

export interface GoTime {
  /** Nanoseconds since 1970-01-01T00:00:00Z. */
  ns: bigint;
  zone: string;
  offset: number;
}

const times = new WeakMap<GoStruct, GoTime>();
const NS = 1_000_000_000n;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Offset in seconds and abbreviation of an IANA zone at an instant ("UTC" and "Local" are UTC). */
export function zoneAt(zone: string, ms: number): { name: string; offset: number } {
  if (zone === 'UTC' || zone === 'Local' || zone === '') return { name: 'UTC', offset: 0 };
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(ms);
  const off = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(off);
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
  const short = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(ms)
    .find((p) => p.type === 'timeZoneName')?.value;
  const name = short && !/^GMT/.test(short) ? short : fmtOffset(offset, '-0700').replace(/00$/, '');
  return { name, offset };
}

function fmtOffset(offset: number, layout: string): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const hh = String(Math.floor(a / 3600)).padStart(2, '0');
  const mm = String(Math.floor((a % 3600) / 60)).padStart(2, '0');
  const ss = String(a % 60).padStart(2, '0');
  switch (layout.replace(/^Z/, '-')) {
    case '-07':
      return sign + hh;
    case '-07:00':
      return `${sign}${hh}:${mm}`;
    case '-070000':
      return sign + hh + mm + ss;
    case '-07:00:00':
      return `${sign}${hh}:${mm}:${ss}`;
    default:
      return sign + hh + mm;
  }
}

/** The GoTime behind a time.Time struct, if it is one. */
export function timeOf(v: unknown): GoTime | undefined {
  return v instanceof GoStruct ? times.get(v) : undefined;
}

/** Wraps a GoTime as a template value with Go's methods (Unix, Format, Add, UTC, ...). */
export function timeStruct(t: GoTime): GoStruct {
  const s = new GoStruct(
    'time.Time',
    {},
    {
      Unix: () => new GoNumber('int64', floorDiv(t.ns, NS)),
      UnixNano: () => new GoNumber('int64', t.ns),
      Format: (layout) => formatTime(t, String(layout)),
      UTC: () => timeStruct({ ns: t.ns, zone: 'UTC', offset: 0 }),
      Year: () => BigInt(civil(t).year),
      String: () => timeString(t),
    },
    () => timeString(t),
  );
  times.set(s, t);
  return setJsonValue(s, () => formatTime(t, '2006-01-02T15:04:05.999999999Z07:00'));
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** A GoTime for a JS Date in a zone. */
export function timeFromDate(d: Date, zone = 'UTC'): GoTime {
  const z = zoneAt(zone, d.getTime());
  return { ns: BigInt(d.getTime()) * 1_000_000n, zone: z.name, offset: z.offset };
}

/** The same instant shown in another zone (Go's t.In(loc)). */
export function timeIn(t: GoTime, zone: string): GoTime {
  const z = zoneAt(zone, Number(t.ns / 1_000_000n));
  return { ns: t.ns, zone: z.name, offset: z.offset };
}

function civil(t: GoTime) {
  const secs = floorDiv(t.ns, NS) + BigInt(t.offset);
  const d = new Date(Number(secs) * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
    nano: Number(((t.ns % NS) + NS) % NS),
  };
}

const TOKENS = [
  'January', 'Jan', 'Monday', 'Mon', 'MST', '2006', '-07:00:00', '-070000', '-07:00', '-0700', '-07', 'Z07:00:00',
  'Z070000', 'Z07:00', 'Z0700', 'Z07', '01', '02', '03', '04', '05', '06', '15', '_2', '1', '2', '3', '4', '5', 'PM', 'pm',
];

/** Splits a Go layout into literal text and std chunks. */
export function layoutChunks(layout: string): string[] {
  const out: string[] = [];
  let lit = '';
  for (let i = 0; i < layout.length; ) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac && (i === 0 || true)) {
      if (lit) out.push(lit);
      lit = '';
      out.push(frac[0]);
      i += frac[0].length;
      continue;
    }
    const tok = TOKENS.find((t) => layout.startsWith(t, i) && !(t === 'Mon' && /^Month/.test(layout.slice(i))));
    if (tok) {
      if (lit) out.push(lit);
      lit = '';
      out.push(`\u0000${tok}`);
      i += tok.length;
      continue;
    }
    lit += layout[i];
    i++;
  }
  if (lit) out.push(lit);
  return out;
}

/** time.Time.Format. */
export function formatTime(t: GoTime, layout: string): string {
  const c = civil(t);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const h12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
  return layoutChunks(layout)
    .map((chunk) => {
      if (/^[.,](0+|9+)$/.test(chunk)) {
        const digits = String(c.nano).padStart(9, '0').slice(0, chunk.length - 1);
        if (chunk[1] === '0') return chunk[0] + digits;
        const trimmed = digits.replace(/0+$/, '');
        return trimmed ? chunk[0] + trimmed : '';
      }
      if (!chunk.startsWith('\u0000')) return chunk;
      const tok = chunk.slice(1);
      switch (tok) {
        case 'January': return MONTHS[c.month - 1] ?? '';
        case 'Jan': return (MONTHS[c.month - 1] ?? '').slice(0, 3);
        case 'Monday': return DAYS[c.weekday] ?? '';
        case 'Mon': return (DAYS[c.weekday] ?? '').slice(0, 3);
        case 'MST': return t.zone;
        case '2006': return String(c.year).padStart(4, '0');
        case '06': return p2(c.year % 100);
        case '01': return p2(c.month);
        case '1': return String(c.month);
        case '02': return p2(c.day);
        case '2': return String(c.day);
        case '_2': return String(c.day).padStart(2, ' ');
        case '15': return p2(c.hour);
        case '03': return p2(h12);
        case '3': return String(h12);
        case '04': return p2(c.minute);
        case '4': return String(c.minute);
        case '05': return p2(c.second);
        case '5': return String(c.second);
        case 'PM': return c.hour >= 12 ? 'PM' : 'AM';
        case 'pm': return c.hour >= 12 ? 'pm' : 'am';
        default:
          if (tok.startsWith('Z') && t.offset === 0) return 'Z';
          return fmtOffset(t.offset, tok);
      }
    })
    .join('');
}

/** time.Time's %v / String(): "2006-01-02 15:04:05.999999999 -0700 MST". */
export function timeString(t: GoTime): string {
  return formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');
}

/** time.ParseInLocation for the common layout elements; throws Go-style errors. */
export function parseTime(layout: string, value: string, zone = 'UTC'): GoTime {
  const fail = (): never => {
    throw new Error(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(value)} as ${JSON.stringify(layout)}`);
  };
  // Go returns `parsing time "v": month out of range` as soon as a field is out of range.
  const range = (what: string): never => {
    throw new Error(`parsing time ${JSON.stringify(value)}: ${what} out of range`);
  };
  let rest = value;
  const f = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, nano: 0, pm: undefined as boolean | undefined, offset: undefined as number | undefined };
  const num = (min: number, max: number): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(rest);
    if (!m) fail();
    rest = rest.slice(m?.[0].length ?? 0);
    return Number(m?.[0]);
  };
  for (const chunk of layoutChunks(layout)) {
    if (/^[.,](0+|9+)$/.test(chunk)) {
      const m = /^[.,](\d+)/.exec(rest);
      if (m) {
        f.nano = Number((m[1] ?? '').padEnd(9, '0').slice(0, 9));
        rest = rest.slice(m[0].length);
      } else if (chunk[1] === '0') fail();
      continue;
    }
    if (!chunk.startsWith('\u0000')) {
      if (!rest.startsWith(chunk)) fail();
      rest = rest.slice(chunk.length);
      continue;
    }
    const tok = chunk.slice(1);
    switch (tok) {
      case '2006': f.year = num(4, 4); break;
      case '06': f.year = 1900 + num(2, 2); if (f.year < 1969) f.year += 100; break;
      case '01': case '1': f.month = num(tok.length, 2); if (f.month < 1 || f.month > 12) range('month'); break;
      case '02': case '2': case '_2': rest = rest.replace(/^ /, ''); f.day = num(tok === '02' ? 2 : 1, 2); if (f.day > 31) range('day'); break;
      case '15': f.hour = num(1, 2); if (f.hour >= 24) range('hour'); break;
      case '03': case '3': f.hour = num(tok.length, 2); if (f.hour > 12) range('hour'); break;
      case '04': case '4': f.minute = num(tok.length, 2); if (f.minute >= 60) range('minute'); break;
      case '05': case '5': f.second = num(tok.length, 2); if (f.second >= 60) range('second'); {
        const m = /^[.,](\d+)/.exec(rest);
        if (m) { f.nano = Number((m[1] ?? '').padEnd(9, '0').slice(0, 9)); rest = rest.slice(m[0].length); }
      } break;
      case 'PM': case 'pm': { const m = /^(AM|PM|am|pm)/.exec(rest); if (!m) fail(); f.pm = /p/i.test(m?.[0] ?? ''); rest = rest.slice(2); break; }
      case 'January': case 'Jan': case 'Monday': case 'Mon': {
        const list = tok.startsWith('J') ? MONTHS : DAYS;
        const idx = list.findIndex((n) => rest.toLowerCase().startsWith((tok.length === 3 ? n.slice(0, 3) : n).toLowerCase()));
        if (idx < 0) fail();
        if (list === MONTHS) f.month = idx + 1;
        rest = rest.slice(tok.length === 3 ? 3 : (list[idx] ?? '').length);
        break;
      }
      case 'MST': { const m = /^[A-Z]{3,5}|^[+-]\d+/.exec(rest); if (!m) fail(); rest = rest.slice(m?.[0].length ?? 0); break; }
      default: {
        if (tok.startsWith('Z') && rest.startsWith('Z')) { f.offset = 0; rest = rest.slice(1); break; }
        const m = /^([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?/.exec(rest);
        if (!m) fail();
        f.offset = (m?.[1] === '-' ? -1 : 1) * (Number(m?.[2]) * 3600 + Number(m?.[3] ?? 0) * 60 + Number(m?.[4] ?? 0));
        rest = rest.slice(m?.[0].length ?? 0);
      }
    }
  }
  if (rest !== '') throw new Error(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(rest)}`);
  if (f.pm !== undefined) f.hour = (f.hour % 12) + (f.pm ? 12 : 0);
  if (f.day < 1 || f.day > new Date(Date.UTC(f.year, f.month, 0)).getUTCDate()) range('day');
  const utcMs = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  const offset = f.offset ?? zoneAt(zone, utcMs).offset;
  const ns = BigInt(utcMs - offset * 1000) * 1_000_000n + BigInt(f.nano);
  const name = f.offset === undefined ? zoneAt(zone, utcMs).name : f.offset === 0 ? 'UTC' : '';
  return { ns, zone: name, offset };
}

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: NS, m: 60n * NS, h: 3600n * NS };

/** time.ParseDuration; throws `time: invalid duration "x"` like Go. */
export function parseDuration(s: string): bigint {
  const bad = (): never => {
    throw new Error(`time: invalid duration ${JSON.stringify(s)}`);
  };
  let rest = s;
  let neg = false;
  if (rest[0] === '-' || rest[0] === '+') {
    neg = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') bad();
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
      if (/^[\d.]+$/.test(rest)) throw new Error(`time: missing unit in duration ${JSON.stringify(s)}`);
      const u = /^[\d.]+([^\d.]+)/.exec(rest);
      if (u) throw new Error(`time: unknown unit ${JSON.stringify(u[1])} in duration ${JSON.stringify(s)}`);
      bad();
    }
    const unit = UNITS[m?.[3] ?? 's'] ?? 1n;
    const frac = m?.[2] ?? '';
    total += BigInt(m?.[1] || '0') * unit + (frac ? (BigInt(frac) * unit) / 10n ** BigInt(frac.length) : 0n);
    rest = rest.slice(m?.[0].length ?? 0);
  }
  return neg ? -total : total;
}

/** time.Duration.String(): "1h2m3.5s", "1.5µs", "0s". */
export function durationString(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  const fracStr = (v: bigint, digits: number): string => {
    const whole = v / 10n ** BigInt(digits);
    const frac = (v % 10n ** BigInt(digits)).toString().padStart(digits, '0').replace(/0+$/, '');
    return frac ? `${whole}.${frac}` : `${whole}`;
  };
  if (u < NS) {
    if (u < 1000n) out = `${u}ns`;
    else if (u < 1_000_000n) out = `${fracStr(u, 3)}µs`;
    else out = `${fracStr(u, 6)}ms`;
  } else {
    const h = u / (3600n * NS);
    u -= h * 3600n * NS;
    const m = u / (60n * NS);
    u -= m * 60n * NS;
    out = `${fracStr(u, 9)}s`;
    if (h > 0n) out = `${h}h${m}m${out}`;
    else if (m > 0n) out = `${m}m${out}`;
  }
  return neg ? `-${out}` : out;
}
