import { beforeAll, describe, expect, it } from 'vitest';
import { typedMap, typedSlice } from '../funcs/go-types.js';
import { createTemplateSet, goSprintf, goSprintln } from '../template/index.js';
import type { FuncMap, GoValue } from '../template/index.js';
import { decodeData } from './corpus.js';
import { harvestExecTests } from '../../testing/go-oracle/harvest.js';
import type { HarvestedCase } from '../../testing/go-oracle/harvest.js';

// TypeScript versions of the FuncMap in exec_test.go's testExecute (count, stringer and vfunc need
// channels or Go interfaces and are not representable).
const funcs: FuncMap = {
  add: { params: [], variadic: 'int', call: (...a) => a.reduce<bigint>((s, x) => s + (x as bigint), 0n) },
  dddArg: { params: ['int'], variadic: 'string', call: (a, ...b) => goSprintln(a, typedSlice(b, 'string')) },
  die: { params: [], call: () => { throw new Error('die'); } },
  echo: { params: ['interface{}'], call: (a) => a },
  makemap: {
    params: [],
    variadic: 'string',
    call: (...a) => {
      if (a.length % 2 !== 0) throw new Error('bad makemap');
      const m: Record<string, GoValue> = {};
      for (let i = 0; i < a.length; i += 2) m[a[i] as string] = a[i + 1];
      return typedMap(m, 'string');
    },
  },
  mapOfThree: { params: [], call: () => typedMap({ three: 3n }, 'int') },
  oneArg: { params: ['string'], call: (a) => `oneArg=${a as string}` },
  returnInt: { params: [], call: () => 7n },
  twoArgs: { params: ['string', 'string'], call: (a, b) => `twoArgs=${a as string}${b as string}` },
  typeOf: { params: ['interface{}'], call: (a) => goSprintf('%T', a) },
  valueString: { params: ['string'], call: () => 'value is ignored' },
  zeroArgs: { params: [], call: () => 'zeroArgs' },
};
const UNSUPPORTED_FUNCS = ['count', 'stringer', 'vfunc'];

/** Why a harvested case cannot run on the GoValue model, or undefined when it can. */
function skipReason(c: HarvestedCase): string | undefined {
  if (c.problem) return `data: ${c.problem}`;
  // A dropped path (e.g. `U.TrueFalse`) matters when the template names every segment of it.
  for (const p of c.dropped ?? []) {
    if (p.split('.').every((seg) => new RegExp(`\\.${seg}\\b`).test(c.input))) return `unrepresentable .${p}`;
  }
  for (const f of UNSUPPORTED_FUNCS) if (new RegExp(`\\b${f}\\b`).test(c.input)) return `function ${f}`;
  if (/\b\d+(\.\d*)?i\b/.test(c.input)) return 'complex literal';
  return undefined;
}

function runCase(c: HarvestedCase): { output?: string; error?: string } {
  try {
    const set = createTemplateSet({ funcs, name: c.name });
    set.parse(c.name, c.input);
    return { output: set.execute(c.name, decodeData(c.data)) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe("Go 1.19's own execTests (exec_test.go, harvested at test time)", () => {
  let cases: HarvestedCase[] = [];
  let runnable: HarvestedCase[] = [];

  beforeAll(async () => {
    cases = await harvestExecTests();
    const skipped = new Map<string, number>();
    runnable = cases.filter((c) => {
      const why = skipReason(c);
      if (why !== undefined) skipped.set(why, (skipped.get(why) ?? 0) + 1);
      return why === undefined;
    });
    const reasons = [...skipped].map(([why, n]) => `${n}× ${why}`).join('; ');
    console.log(`execTests harvested: ${cases.length}, run: ${runnable.length}, skipped: ${cases.length - runnable.length} (${reasons})`);
  }, 300_000);

  it('harvests the table and runs most of it', () => {
    expect(cases.length).toBeGreaterThan(250);
    expect(runnable.length).toBeGreaterThan(cases.length / 2);
  });

  it('matches Go on every runnable case', () => {
    const failures: string[] = [];
    for (const c of runnable) {
      const r = runCase(c);
      if (c.ok && r.output !== c.output) failures.push(`${c.name}: ${JSON.stringify(c.input)} want ${JSON.stringify(c.output)} got ${JSON.stringify(r)}`);
      if (!c.ok && r.error === undefined) failures.push(`${c.name}: ${JSON.stringify(c.input)} want an error, got ${JSON.stringify(r.output)}`);
    }
    console.log(`execTests passed: ${runnable.length - failures.length}/${runnable.length}`);
    expect(failures).toEqual([]);
  });
});
