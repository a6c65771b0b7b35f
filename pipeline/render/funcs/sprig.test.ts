import { describe, expect, it } from 'vitest';
import type { GoValue } from '../template/values.js';
import { timeOf } from './go-time.js';
import { NON_HERMETIC, SLIM_REMOVED, hermeticSprigFuncs, seededRandom, slimSprigFuncs, sprigFuncs } from './sprig.js';
import { goSprintValue } from './go-format.js';

const fixedNow = new Date('2024-02-29T12:34:56.789Z');

function call(name: string, ...args: GoValue[]): GoValue {
  const f = sprigFuncs({ now: () => fixedNow, random: seededRandom('t') })[name];
  if (!f) throw new Error(`no ${name}`);
  return f.call(...args);
}

describe('function map variants', () => {
  it('Helm set has no env/expandenv unless values are injected', () => {
    expect(sprigFuncs().env).toBeUndefined();
    expect(sprigFuncs({ env: { HOME: '/h' } }).expandenv?.call('$HOME/x ${HOME}')).toBe('/h/x /h');
  });

  it('hermetic and slim sets drop exactly the listed functions', () => {
    const all = Object.keys(sprigFuncs());
    const hermetic = Object.keys(hermeticSprigFuncs());
    const slim = Object.keys(slimSprigFuncs());
    expect(all.filter((n) => !hermetic.includes(n)).sort()).toEqual(NON_HERMETIC.filter((n) => all.includes(n)).sort());
    expect(all.filter((n) => !slim.includes(n)).sort()).toEqual([...SLIM_REMOVED].sort());
    expect(slim).toContain('sha256sum');
    expect(hermetic).toContain('semverCompare');
  });

  it('declares Go parameter types', () => {
    const f = sprigFuncs();
    expect(f.upper?.params).toEqual(['string']);
    expect(f.default).toMatchObject({ params: ['interface{}'], variadic: 'interface{}' });
    expect(f.dateModify?.params).toEqual(['string', 'time.Time']);
  });
});

describe('time functions use the injected clock', () => {
  it.each([
    ['2006-01-02 15:04:05', '2024-02-29 12:34:56'],
    ['Jan _2 03:04PM .000 MST', 'Feb 29 12:34PM .789 UTC'],
    ['Monday Z07:00', 'Thursday Z'],
  ])('date %s', (layout, expected) => {
    expect(call('date', layout, call('now'))).toBe(expected);
  });

  it('dateModify adds Go durations and mustDateModify reports bad ones', () => {
    const later = call('dateModify', '+1h30m', call('now'));
    expect(goSprintValue(later)).toBe('2024-02-29 14:04:56.789 +0000 UTC');
    expect(call('dateModify', 'bogus', call('now'))).toBeDefined();
    expect(() => call('mustDateModify', 'bogus', call('now'))).toThrow('time: invalid duration "bogus"');
    expect(call('unixEpoch', call('now'))).toBe(String(Math.floor(fixedNow.getTime() / 1000)));
  });

  it('toDate parses layouts and ago measures against now', () => {
    const t = call('toDate', '2006-01-02', '2024-02-28');
    expect(timeOf(t)?.ns).toBe(BigInt(Date.UTC(2024, 1, 28)) * 1_000_000n);
    expect(call('ago', t)).toBe('36h34m57s');
    expect(call('durationRound', t)).toBe('1d');
  });
});

describe('random functions draw from the injected source', () => {
  it.each([
    ['randAlphaNum', /^[A-Za-z0-9]{24}$/],
    ['randAlpha', /^[A-Za-z]{24}$/],
    ['randNumeric', /^[0-9]{24}$/],
    ['randAscii', /^[ -~]{24}$/],
  ])('%s has the right alphabet and repeats with the same seed', (name, pattern) => {
    const a = String(call(name, 24n));
    expect(a).toMatch(pattern);
    expect(call(name, 24n)).toBe(a);
  });

  it('uuidv4 is a version-4 UUID and shuffle permutes', () => {
    expect(String(call('uuidv4'))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...String(call('shuffle', 'abcdef'))].sort().join('')).toBe('abcdef');
    expect(Buffer.from(String(call('randBytes', 12n)), 'base64')).toHaveLength(12);
    const n = Number(call('randInt', 5n, 10n));
    expect(n >= 5 && n < 10).toBe(true);
  });
});
