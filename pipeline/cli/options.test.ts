import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.js';
import { COMMON_OPTIONS } from './command.js';
import { commands } from './commands.js';
import { OPTION_ALIASES, SHARED_OPTIONS } from './options.js';

/** Which shared options each command takes (keys' --out is a key-file prefix, not a folder: not shared). */
const uses: Record<string, (keyof typeof SHARED_OPTIONS)[]> = {
  lint: ['chart-cache'],
  deps: ['chart-cache'],
  plan: ['chart-cache', 'ledger', 'k8s'],
  build: ['chart-cache', 'ledger', 'k8s', 'out', 'schema-cache'],
  render: ['chart-cache', 'k8s', 'out', 'values'],
  validate: ['chart-cache', 'k8s', 'schema-cache'],
  schemas: ['schema-cache', 'out'],
  publish: ['ledger', 'out'],
  pull: ['out'],
  verify: [],
  keys: [],
  template: ['values'],
  images: ['ledger'],
  upstream: ['chart-cache', 'ledger'],
  e2e: ['out'],
};

const rows = Object.entries(uses).flatMap(([command, names]) => names.map((name) => [command, name] as const));
const shape = (o: { type: string; short?: string; multiple?: boolean }) => ({ type: o.type, short: o.short, multiple: o.multiple ?? false });

describe('one CLI vocabulary', () => {
  it('covers every command', () => {
    expect(Object.keys(uses).sort()).toEqual(Object.keys(commands).sort());
  });

  it.each(rows)('csp %s --%s has the shared spelling, short form and arity', (command, name) => {
    const spec = commands[command]!.options[name];
    expect(spec, `csp ${command} lacks --${name}`).toBeDefined();
    expect(shape(spec!)).toEqual(shape(SHARED_OPTIONS[name]));
  });

  it.each(Object.keys(commands))('csp %s takes the common flags and no command redefines them', async (command) => {
    for (const name of Object.keys(COMMON_OPTIONS)) expect(commands[command]!.options[name]).toBeUndefined();
    for (const flag of ['-q', '-v', '--quiet', '--verbose', '--json']) {
      const r = await runCli([command, flag, '--help'], process.cwd());
      expect(r.code, `csp ${command} ${flag} --help: ${r.stderr}`).toBe(0);
    }
  });

  it.each(Object.keys(commands))('csp help %s prints that command\u2019s help', async (command) => {
    const r = await runCli(['help', command], process.cwd());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(commands[command]!.usage.split(' ')[0]);
    expect(r.stdout).toContain(`csp ${command}`);
  });

  it('an unknown option is one csp error, not Node\u2019s parseArgs text', async () => {
    const r = await runCli(['plan', '--no-such-flag'], process.cwd());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CLI_BAD_ARGUMENTS csp plan: unknown option --no-such-flag/);
    expect(r.stderr).not.toMatch(/strict|allowPositionals/);
  });

  it.each(Object.keys(commands))('csp %s gives no shared name or old spelling a meaning of its own', (command) => {
    const declared = Object.keys(commands[command]!.options);
    // keys' --out is a key-file prefix (PREFIX.key, PREFIX.pub), as README documents it: the one exception.
    const shared = new Set<string>([...(uses[command] ?? []), ...(command === 'keys' ? ['out'] : [])]);
    for (const name of declared) {
      if (name in SHARED_OPTIONS) expect(shared.has(name), `csp ${command} declares --${name} but not as the shared option`).toBe(true);
      const target = OPTION_ALIASES[name];
      if (target) expect(shared.has(target), `csp ${command} --${name} is the old spelling of --${target} elsewhere`).toBe(true);
    }
  });

  it('no two commands give one short flag different meanings', () => {
    const meaning = new Map<string, string>();
    for (const [command, spec] of Object.entries(commands)) {
      for (const [name, o] of Object.entries(spec.options)) {
        if (!o.short) continue;
        const seen = meaning.get(o.short);
        expect(seen === undefined || seen === name, `-${o.short} is --${seen} elsewhere but --${name} in csp ${command}`).toBe(true);
        meaning.set(o.short, name);
      }
    }
  });
});
