/**
 * Sprig date functions (date.go) over the injected clock: `now`, `date`, `dateInZone`, `dateModify`,
 * `toDate`, `ago`, `duration`, `durationRound`, `unixEpoch`. "Local" is treated as UTC.
 */
import { GoNumber } from '../template/values.js';
import type { FuncMap, GoValue } from '../template/values.js';
import { argStr, fn } from './define.js';
import { durationString, formatTime, parseDuration, parseTime, timeFromDate, timeIn, timeOf, timeStruct } from './go-time.js';
import type { GoTime } from './go-time.js';
import { goParseInt } from './cast.js';

const NS = 1_000_000_000n;

function secondsOf(v: GoValue): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (v instanceof GoNumber && (v.kind === 'int64' || v.kind === 'int32')) return BigInt(v.value);
  return undefined;
}

/** Date family of Sprig's function map; `now` is `options.now` when given (repeatable renders). */
export function dateFuncs(now: () => Date): FuncMap {
  const current = (): GoTime => timeFromDate(now());
  const toTime = (v: GoValue): GoTime => {
    const t = timeOf(v);
    if (t) return t;
    const secs = secondsOf(v);
    return secs === undefined ? current() : { ns: secs * NS, zone: 'UTC', offset: 0 };
  };
  const dateInZone = (layout: GoValue, d: GoValue, zone: GoValue): string => {
    let t = toTime(d);
    try {
      t = timeIn(t, argStr(zone));
    } catch {
      t = timeIn(t, 'UTC');
    }
    return formatTime(t, argStr(layout));
  };
  const modify = (must: boolean) => (spec: GoValue, d: GoValue) => {
    const t = timeOf(d) ?? { ns: -62135596800n * NS, zone: 'UTC', offset: 0 };
    try {
      return timeStruct({ ...t, ns: t.ns + parseDuration(argStr(spec)) });
    } catch (e) {
      if (must) throw e;
      return timeStruct(t);
    }
  };
  const toDate = (must: boolean) => (layout: GoValue, s: GoValue) => {
    try {
      return timeStruct(parseTime(argStr(layout), argStr(s)));
    } catch (e) {
      if (must) throw e;
      return timeStruct({ ns: -62135596800n * NS, zone: 'UTC', offset: 0 });
    }
  };
  const since = (t: GoTime): bigint => timeFromDate(now()).ns - t.ns;
  return {
    now: fn([], () => timeStruct(current())),
    date: fn(['string', 'interface{}'], (f, d) => dateInZone(f, d, 'Local')),
    date_in_zone: fn(['string', 'interface{}', 'string'], dateInZone),
    dateInZone: fn(['string', 'interface{}', 'string'], dateInZone),
    htmlDate: fn(['interface{}'], (d) => dateInZone('2006-01-02', d, 'Local')),
    htmlDateInZone: fn(['interface{}', 'string'], (d, z) => dateInZone('2006-01-02', d, z)),
    date_modify: fn(['string', 'time.Time'], modify(false)),
    dateModify: fn(['string', 'time.Time'], modify(false)),
    must_date_modify: fn(['string', 'time.Time'], modify(true)),
    mustDateModify: fn(['string', 'time.Time'], modify(true)),
    toDate: fn(['string', 'string'], toDate(false)),
    mustToDate: fn(['string', 'string'], toDate(true)),
    unixEpoch: fn(['time.Time'], (d) => {
      const t = timeOf(d);
      return t ? String(t.ns / NS - (t.ns % NS < 0n ? 1n : 0n)) : '-62135596800';
    }),
    ago: fn(['interface{}'], (d) => {
      const t = timeOf(d);
      const secs = secondsOf(d);
      const base = t ?? (secs !== undefined && !(d instanceof GoNumber && d.kind === 'int32') ? { ns: secs * NS, zone: 'UTC', offset: 0 } : current());
      const diff = since(base);
      const half = NS / 2n;
      const rounded = diff >= 0n ? ((diff + half) / NS) * NS : -(((-diff + half) / NS) * NS);
      return durationString(rounded);
    }),
    duration: fn(['interface{}'], (v) => {
      let n = 0n;
      if (typeof v === 'string') {
        try {
          n = goParseInt(v, 10);
        } catch {
          n = 0n;
        }
      } else if (v instanceof GoNumber && v.kind === 'int64') n = BigInt(v.value);
      return durationString(BigInt.asIntN(64, n * NS));
    }),
    durationRound: fn(['interface{}'], (v) => {
      let d = 0n;
      const t = timeOf(v);
      if (typeof v === 'string') {
        try {
          d = parseDuration(v);
        } catch {
          d = 0n;
        }
      } else if (v instanceof GoNumber && v.kind === 'int64') d = BigInt(v.value);
      else if (t) d = since(t);
      const u = d < 0n ? -d : d;
      const hour = 3600n * NS;
      const units: [bigint, string][] = [
        [hour * 24n * 365n, 'y'],
        [hour * 24n * 30n, 'mo'],
        [hour * 24n, 'd'],
        [hour, 'h'],
        [60n * NS, 'm'],
        [NS, 's'],
      ];
      for (const [size, suffix] of units) if (u > size) return `${u / size}${suffix}`;
      return '0s';
    }),
  };
}
