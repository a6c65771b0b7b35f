/**
 * Test helper until render/stack lands: renders a simple cluster-class chart folder (only .Release,
 * .Chart.Name/.Chart.Version and .Values, as our and the SCS cluster-class templates use) with the Go
 * template engine under Helm's missingkey=zero, and returns the objects with their rendered text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createTemplateSet, helmFuncs, sprigFuncs, type GoValue, type TemplateFunction, type TemplateSet } from '../../render/index.js';
import { objectsFromYaml } from '../read-objects.js';
import type { ChartObjects } from '../index.js';

export function renderClassChart(chartDir: string, releaseName: string, namespace = 'cluster'): ChartObjects & { text: string } {
  const chart = parse(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')) as { name: string; version: string };
  const valuesFile = path.join(chartDir, 'values.yaml');
  const values = (fs.existsSync(valuesFile) ? parse(fs.readFileSync(valuesFile, 'utf8')) : {}) ?? {};
  const holder: { set?: TemplateSet } = {};
  const include: TemplateFunction = { params: ['string', 'interface{}'], call: (n, d) => (holder.set as TemplateSet).execute(n as string, d) };
  const set = createTemplateSet({ funcs: { ...sprigFuncs(), ...helmFuncs(), include }, missingKey: 'zero', name: 'chart' });
  holder.set = set;
  const dir = path.join(chartDir, 'templates');
  const files = fs.readdirSync(dir).sort();
  for (const f of files) set.parse(`${chart.name}/templates/${f}`, fs.readFileSync(path.join(dir, f), 'utf8'));
  const data = { Release: { Name: releaseName, Namespace: namespace, Service: 'Helm' }, Chart: { Name: chart.name, Version: chart.version }, Values: values } as unknown as GoValue;
  const objects = [];
  let text = '';
  for (const f of files.filter((x) => x.endsWith('.yaml') && !x.startsWith('_'))) {
    const name = `${chart.name}/templates/${f}`;
    const out = set.execute(name, data).replaceAll('<no value>', '');
    const doc = `---\n# Source: ${name}\n${out.replace(/^\s*---\s*\n/, '')}\n`;
    const parsed = objectsFromYaml(name, doc);
    objects.push(...parsed.objects.map((o) => ({ ...o, source: { file: name, line: o.source.line } })));
    text += doc;
  }
  return { name: chart.name, releaseName, chartVersion: chart.version, objects, text };
}
