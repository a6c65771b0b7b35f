/**
 * docs/templates.md stays true: its generated block (functions per template layer, corpus sizes) is
 * rebuilt from the function maps and corpora here, and every function csp claims has a differential case.
 * Regenerate with: CSP_UPDATE_DOCS=1 npx vitest run pipeline/render/stack/templates-doc.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { differentialCases } from '../funcs/differential-cases.js';
import { helmFuncs } from '../funcs/helm-funcs.js';
import { hermeticSprigFuncs, slimSprigFuncs, sprigFuncs } from '../funcs/sprig.js';
import { loadCorpus } from '../differential/corpus.js';
import { BUILTINS } from '../template/builtins.js';
import { repoRoot } from '../../testing/paths.js';

const DOC = path.join(repoRoot, 'docs/templates.md');
const START = '<!-- generated:functions:start (templates-doc.test.ts) -->';
const END = '<!-- generated:functions:end -->';
/** Helm functions that need the chart context (defined by render/helm's engine). */
const HELM_CONTEXT = ['include', 'tpl', 'required', 'fail', 'lookup'];
const helmChartFixture = path.join(repoRoot, 'pipeline/render/stack/__fixtures__/helm-funcs-chart/templates');

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort((a, b) => a.localeCompare(b, 'en'));
const builtins = sorted(Object.keys(BUILTINS));
const sprig = sorted(Object.keys(sprigFuncs()));
const helmOnly = sorted([...Object.keys(helmFuncs()), ...HELM_CONTEXT].filter((n) => !sprig.includes(n) || HELM_CONTEXT.includes(n)));
const helmLayer = sorted([...builtins, ...sprig, ...helmOnly]);
const csoLayer = sorted([...builtins, ...Object.keys(slimSprigFuncs())]);
const capiLayer = sorted([...builtins, ...Object.keys(hermeticSprigFuncs())]);
const corpus = loadCorpus();

function list(names: string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}

/** The generated block of docs/templates.md. */
function generated(): string {
  const notIn = (layer: string[]) => sprig.filter((n) => !layer.includes(n));
  const overridden = sorted(Object.keys(helmFuncs()).filter((n) => sprig.includes(n)));
  return [
    START,
    '',
    `### Go text/template builtins (${builtins.length}, every layer)`,
    '',
    list(builtins),
    '',
    `### Sprig 3.2.3 (${sprig.length}; Helm's set, without \`env\` and \`expandenv\`)`,
    '',
    list(sprig),
    '',
    `### Helm additions (${helmOnly.length}, layer 2 only)`,
    '',
    list(helmOnly),
    '',
    `Helm replaces Sprig's ${list(overridden)} with its own versions.`,
    '',
    '### Per layer',
    '',
    '| Layer | Functions | Sprig functions missing from the layer |',
    '|---|---|---|',
    `| 1 csctl \`<< >>\` | none (3 tags) | — |`,
    `| 2 Helm | ${helmLayer.length} | \`env\`, \`expandenv\` |`,
    `| 3 CSO values (slim-sprig) | ${csoLayer.length} | ${list(notIn(csoLayer))} |`,
    `| 4 CAPI patches (hermetic Sprig) | ${capiLayer.length} | ${list(notIn(capiLayer))} |`,
    '',
    '### Differential corpus sizes',
    '',
    '| Corpus | Cases |',
    '|---|---|',
    `| template engine (pipeline/render/differential/__fixtures__/corpus-*.yaml) | ${corpus.length} |`,
    `| Sprig/Helm functions (pipeline/render/funcs/differential-cases.ts) | ${differentialCases.length} |`,
    `| combined | ${corpus.length + differentialCases.length} |`,
    '',
    END,
  ].join('\n');
}

function currentBlock(doc: string): string {
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  return a >= 0 && b > a ? doc.slice(a, b + END.length) : '';
}

describe('docs/templates.md', () => {
  it('lists exactly the functions of the func maps and the current corpus sizes', () => {
    const doc = readFileSync(DOC, 'utf8');
    const want = generated();
    if (process.env.CSP_UPDATE_DOCS === '1' && currentBlock(doc) !== want) {
      writeFileSync(DOC, doc.replace(currentBlock(doc) || `${START}\n${END}`, want));
      return;
    }
    expect(currentBlock(doc), 'docs/templates.md is out of date: run CSP_UPDATE_DOCS=1 npx vitest run pipeline/render/stack/templates-doc.test.ts').toBe(want);
  });

  it('the combined differential corpus has at least 500 cases', () => {
    console.log(`combined differential corpus: ${corpus.length} template cases + ${differentialCases.length} function cases = ${corpus.length + differentialCases.length}`);
    expect(corpus.length + differentialCases.length).toBeGreaterThanOrEqual(500);
  });

  it('every builtin, Sprig and Helm function csp claims has at least one differential case', () => {
    const chartTexts = ['_helpers.tpl', 'functions.yaml'].map((f) => readFileSync(path.join(helmChartFixture, f), 'utf8'));
    const texts = [
      ...corpus.flatMap((c) => [c.template, ...(c.before ?? []).map((b) => b.text), ...(c.after ?? []).map((a) => a.text)]),
      ...differentialCases.map((c) => c.template ?? ''),
      ...chartTexts,
    ];
    const called = new Set(differentialCases.map((c) => c.fn ?? '').concat(differentialCases.map((c) => c.helm ?? '')));
    const used = (name: string) => called.has(name) || texts.some((t) => new RegExp(`(^|[^\\w.$])${name}($|[^\\w])`).test(t));
    expect(helmLayer.filter((n) => !used(n))).toEqual([]);
  });
});
