import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, runEngineCase } from './corpus.js';
import { buildOracle, runOracle } from '../../testing/go-oracle/oracle.js';
import type { OracleResult } from '../../testing/go-oracle/oracle.js';

const corpus = loadCorpus();

function label(idx: number): string {
  const c = corpus[idx];
  const t = JSON.stringify(c?.template ?? '');
  return `#${idx} ${t.length > 90 ? `${t.slice(0, 90)}…` : t}`;
}

describe('template engine against Go 1.19 text/template (oracle)', () => {
  let goResults: OracleResult[] = [];

  beforeAll(async () => {
    // No skip when Go is missing: buildOracle throws GO_MISSING with the packages to install.
    const binary = await buildOracle();
    goResults = await runOracle(corpus, binary);
    console.log(`template differential corpus: ${corpus.length} cases`);
  }, 120_000);

  it('has at least 300 cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(goResults).toHaveLength(corpus.length);
  });

  it.each(corpus.map((_, idx) => [label(idx), idx] as const))('%s', (_label, idx) => {
    const c = corpus[idx];
    if (c === undefined) throw new Error('missing case');
    const go = goResults[idx] ?? {};
    const ts = runEngineCase(c);
    expect(ts).toEqual(go);
  });
});
