/**
 * Charts written by an attacker, through the built CLI in a child process (as users run it): every
 * case ends quickly with exit 1, a code and the template position, within a bounded peak RSS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliChild } from '../testing/child-cli.js';

let dir: string;

function chart(name: string, template: string): string {
  fs.mkdirSync(path.join(dir, name, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, name, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`);
  fs.writeFileSync(path.join(dir, name, 'templates', 'a.yaml'), template);
  return name;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-hostile-template-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Peak RSS of a small render is ~150 MiB (Node, the worker, the CLI); the bound leaves room for the
// largest string or list the budgets allow, far below the gigabytes these cases took before.
const RSS_BOUND_MB = 600;

describe('template budgets (csp template, child process)', () => {
  it.each<[string, string, Record<string, string>, RegExp]>([
    ['until', 'x: {{ len (until 200000000) }}\n', {}, /a\.yaml:1:12 HELM_TEMPLATE_EXEC_ERROR .*until 200000000.*over the limit of 1000000 \(CSP_LIMIT_TEMPLATE_ITEMS\)/],
    ['rand', 'x: {{ randAlphaNum 500000000 | len }}\n', {}, /a\.yaml:1:7 .*randAlphaNum would create 500000000 characters.*CSP_LIMIT_TEMPLATE_STRING/],
    ['repeat', 'x: {{ repeat 100000000 "abcdefgh" | len }}\n', {}, /repeat would create 800000000 characters/],
    ['steps', '{{ range until 20000 }}{{ range until 20000 }}{{ end }}{{ end }}\n', { CSP_LIMIT_TEMPLATE_STEPS: '200000' }, /a\.yaml:1:\d+ .*the render took over 200000 steps \(CSP_LIMIT_TEMPLATE_STEPS\)/],
    ['output', '{{ range until 20000 }}{{ range until 20000 }}xxxxxxxxxx{{ end }}{{ end }}\n', { CSP_LIMIT_TEMPLATE_OUTPUT: '1000000' }, /the render wrote over 1000000 characters \(CSP_LIMIT_TEMPLATE_OUTPUT\)/],
  ])('%s ends with a positioned exit 1', async (name, template, env, message) => {
    const run = await runCliChild(['template', chart(name, template)], dir, env);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(1);
    expect(run.maxRssMb).toBeLessThan(RSS_BOUND_MB);
  });

  it('allows 1000 nested includes like Helm, and names the template past that', async () => {
    const recurse = (depth: number): string =>
      `{{- define "r" }}{{ if lt (int .) ${depth} }}{{ include "r" (add1 .) }}{{ else }}deep{{ end }}{{ end -}}\nx: {{ include "r" 0 }}\n`;
    const ok = await runCliChild(['template', chart('deep', recurse(999))], dir);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('x: deep');
    const tooDeep = await runCliChild(['template', chart('deeper', recurse(1200))], dir);
    expect(tooDeep.code).toBe(1);
    expect(tooDeep.stderr).toContain('rendering template has a nested reference name: r: unable to execute template');
  });

  it('a backtracking regexp bomb answers like Go (false) at once', async () => {
    const run = await runCliChild(['template', chart('regex', `x: {{ regexMatch "^(a+)+$" "${'a'.repeat(48)}!" }}\n`)], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('x: false');
  });
});
