/**
 * Seeded, bounded fuzzing of the readers that take other people's text: the YAML readers, the template
 * engine (through Helm's renderer) and the stack loader. Every case must end as a result or as a coded
 * PipelineError with exit 1 or 2 (a position where the reader has one), never a crash (exit 3), within
 * the limits. Set CSP_FUZZ_SEED to replay a run; CSP_FUZZ_CASES scales the counts.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PipelineError } from '../core/errors.js';
import { configureLimits } from '../core/limits.js';
import { parseYamlSource, parseYamlStream } from '../core/source.js';
import { parseYamlGo } from '../render/funcs/helm-yaml.js';
import { formatHelmTemplate, renderChart } from '../render/helm/index.js';
import { chartFromFiles, chartYaml } from '../render/helm/test-charts.js';
import { loadStack } from '../stack/index.js';
import { repoRoot } from '../testing/paths.js';
import { copyStack, listTree } from '../testing/workspace.js';

const SEED = Number(process.env.CSP_FUZZ_SEED ?? 20261206);
const SCALE = Number(process.env.CSP_FUZZ_CASES ?? 1);

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;

/** Structure-aware mutations of a text: flips, deletions, duplications and hostile snippets. */
function mutate(r: () => number, text: string, snippets: readonly string[]): string {
  let out = text;
  const steps = 1 + Math.floor(r() * 4);
  for (let i = 0; i < steps; i++) {
    const at = Math.floor(r() * (out.length + 1));
    switch (Math.floor(r() * 5)) {
      case 0:
        out = out.slice(0, at) + String.fromCharCode(Math.floor(r() * 128)) + out.slice(at + 1);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + Math.floor(r() * 40));
        break;
      case 2:
        out = out.slice(0, at) + out.slice(at, at + 60).repeat(1 + Math.floor(r() * 3)) + out.slice(at);
        break;
      default:
        out = out.slice(0, at) + pick(r, snippets) + out.slice(at);
    }
  }
  return out;
}

const YAML_SNIPPETS = [
  '&a [x, x, x]', '*a', '<<: *a', '\n- ', ': ', '{', '[', '"', "'", '\t', '\n---\n', '!!binary', '!!str', '? ', '|\n', '>-\n',
  '\ufeff', '\u0000', '%YAML 1.1\n', '&b {k: *a}', '[*b, *b, *b, *b, *b, *b, *b, *b]', '\\', '#', ' &c ', '*c',
];

function billionLaughs(levels: number, width: number): string {
  const lines = [`l0: &l0 [${Array(width).fill('x').join(', ')}]`];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

function expectCoded(error: unknown): void {
  expect(error).toBeInstanceOf(PipelineError);
  expect([1, 2]).toContain((error as PipelineError).exitCode);
  expect((error as PipelineError).code).toMatch(/^[A-Z][A-Z0-9_]+$/);
}

let seeds: string[] = [];
beforeAll(async () => {
  const stackDir = path.join(repoRoot, 'stacks', 'docker', 'scs');
  const files = (await listTree(stackDir)).filter((f) => /\.ya?ml$/.test(f));
  seeds = await Promise.all(files.map((f) => fs.readFile(path.join(stackDir, f), 'utf8')));
});
afterEach(() => configureLimits({}));

describe('fuzz: YAML readers', () => {
  it(`mutated stack files and alias structures (seed ${SEED})`, () => {
    const r = rng(SEED);
    const before = process.resourceUsage().maxRSS;
    const cases = [billionLaughs(9, 9), billionLaughs(30, 2), ...Array.from({ length: 250 * SCALE }, () => mutate(r, pick(r, seeds), YAML_SNIPPETS))];
    for (const text of cases) {
      const single = parseYamlSource('f.yaml', text);
      for (const issue of single.issues) expect(issue.location?.line, issue.message).toBeGreaterThan(0);
      const stream = parseYamlStream('f.yaml', text);
      for (const issue of stream.issues) expect(issue.location?.line, issue.message).toBeGreaterThan(0);
      try {
        parseYamlGo(text);
      } catch (error) {
        // Helm's reader fails like sigs.k8s.io/yaml: a plain Error with Go's message, turned into a coded error by its callers.
        expect((error as Error).message, text).toMatch(/^error converting YAML to JSON: /);
      }
    }
    expect((process.resourceUsage().maxRSS - before) / 1024).toBeLessThan(300);
  });
});

const ACTIONS = [
  '{{ .Values.a }}', '{{ include "t" . }}', '{{ tpl "{{ .Values.a }}" . }}', '{{ toYaml .Values }}', '{{ fromYaml .Values.s }}',
  '{{ until 200000000 }}', '{{ untilStep 0 100000000 1 }}', '{{ seq 50000000 }}', '{{ repeat 90000000 "ab" }}', '{{ randAlphaNum 90000000 }}',
  '{{ indent 50000000 "a\\nb" }}', '{{ regexMatch "^(a+)+$" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" }}', '{{ regexFind "(?=x)" "x" }}',
  '{{ range until 3000 }}{{ range until 3000 }}x{{ end }}{{ end }}', '{{ range $i, $e := .Values.l }}{{ $e }}{{ end }}',
  '{{ define "t" }}{{ include "t" . }}{{ end }}', '{{ template "t" . }}', '{{ if }}', '{{ end }}', '{{ else }}', '{{', '}}', '{{/* c */}}',
  '{{ printf "%*d" 100000000 1 }}', '{{ required "x" .Values.none }}', '{{ fail "boom" }}', '{{ .Values.a.b.c.d }}', '{{ index .Values.l 99 }}',
  '{{ sha256sum (repeat 1000 "x") }}', '{{ b64dec "!!" }}', '{{ toJson (dict "a" (list 1 2)) }}', '{{ mustRegexMatch "(" "x" }}', '{{ lookup "v1" "Pod" "" "" }}',
  'text\n', 'key: value\n', '---\n', '&a [1]\n', '*a\n',
];

describe('fuzz: template engine through Helm', () => {
  it(`random templates end as output or a coded, positioned error (seed ${SEED})`, () => {
    configureLimits({}, { templateSteps: 200_000, templateOutput: 2 * 1024 * 1024, templateItems: 100_000, templateString: 1024 * 1024 });
    const r = rng(SEED + 1);
    const before = process.resourceUsage().maxRSS;
    const values = 'a: 1\nl: [1, 2, 3]\ns: |\n  k: &x [1, 2]\n  m: *x\n';
    for (let i = 0; i < 250 * SCALE; i++) {
      const parts = Array.from({ length: 1 + Math.floor(r() * 6) }, () => pick(r, ACTIONS));
      const template = r() < 0.3 ? mutate(r, parts.join(''), ACTIONS) : parts.join('');
      try {
        formatHelmTemplate(renderChart(chartFromFiles({ 'Chart.yaml': chartYaml('f'), 'values.yaml': values, 'templates/a.yaml': template }), { releaseName: 'r', namespace: 'n' }));
      } catch (error) {
        expectCoded(error);
        expect((error as PipelineError).message, template).not.toMatch(/Maximum call stack|Invalid string length|heap/);
      }
    }
    expect((process.resourceUsage().maxRSS - before) / 1024).toBeLessThan(400);
  });
});

describe('fuzz: stack loader', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-fuzz-stack-'));
  });
  afterAll(async () => fs.rm(tmp, { recursive: true, force: true }));

  it(`mutated stacks load with issues, never a crash, and nothing is written (seed ${SEED})`, async () => {
    const r = rng(SEED + 2);
    const source = path.join(repoRoot, 'pipeline', 'stack', '__fixtures__', 'minimal');
    const names = (await listTree(source)).filter((f) => /\.ya?ml$/.test(f));
    const snippets = [...YAML_SNIPPETS, 'name: ../../../../escape', 'version: ../x', 'alias: "a/b"', billionLaughs(9, 9)];
    for (let i = 0; i < 25 * SCALE; i++) {
      const dir = await copyStack(source, path.join(tmp, `s${i}`));
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
        const file = path.join(dir, pick(r, names));
        await fs.writeFile(file, mutate(r, await fs.readFile(file, 'utf8'), snippets));
      }
      const before = await listTree(dir);
      try {
        const loaded = await loadStack(dir, { cwd: tmp, chartCacheDir: path.join(tmp, 'cache') });
        for (const issue of loaded.issues) expect(issue.location?.file, `${issue.code} ${issue.message}`).toBeTruthy();
      } catch (error) {
        expectCoded(error);
      }
      expect(await listTree(dir)).toEqual(before);
      await fs.rm(dir, { recursive: true, force: true });
    }
    expect((await fs.readdir(tmp)).filter((f) => f !== 'cache')).toEqual([]);
  });
});
