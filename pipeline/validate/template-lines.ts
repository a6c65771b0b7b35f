/**
 * Maps an issue's line in rendered output back to the template a person edits: the rendered line is
 * looked up in the template (same text, else same key), taking the same occurrence counted from the
 * start of its document, so literal lines land exactly. The rendered position stays as a related location.
 */
import type { Location } from '../core/errors.js';
import type { ValidationIssue } from './validate-objects.js';

const KEY = /^\s*(?:-\s+)?([^\s:#][^:#]*?):(?:\s|$)/;

function keyOf(line: string): string | undefined {
  return KEY.exec(line)?.[1];
}

/** Index (0-based) of the line in `template` that corresponds to rendered line `index` of `rendered`, if any. */
export function correspondingLine(rendered: string[], index: number, template: string[]): number | undefined {
  const target = rendered[index];
  if (target === undefined) return undefined;
  let docStart = index;
  while (docStart > 0 && !/^---/.test(rendered[docStart] ?? '')) docStart--;
  for (const same of [(a: string, b: string) => a.trim() === b.trim() && a.trim() !== '', (a: string, b: string) => keyOf(a) !== undefined && keyOf(a) === keyOf(b) && a.search(/\S/) === b.search(/\S/)]) {
    let ordinal = 0;
    for (let i = docStart; i < index; i++) if (same(rendered[i] ?? '', target)) ordinal++;
    const hits: number[] = [];
    template.forEach((line, i) => {
      if (same(line, target)) hits.push(i);
    });
    if (hits[ordinal] !== undefined) return hits[ordinal];
    if (hits.length === 1) return hits[0];
  }
  return undefined;
}

/**
 * Rewrites issue locations that point into rendered output (`renderedTexts` by file) and name a template
 * as related location whose text `templateText(file)` can give; others are returned unchanged.
 */
export function mapIssuesToTemplates(
  issues: readonly ValidationIssue[],
  renderedTexts: ReadonlyMap<string, string>,
  templateText: (file: string) => string | undefined,
): ValidationIssue[] {
  const split = new Map<string, string[]>();
  const lines = (key: string, text: string): string[] => {
    let l = split.get(key);
    if (!l) split.set(key, (l = text.split('\n')));
    return l;
  };
  return issues.map((issue) => {
    const loc = issue.location;
    const template = issue.related?.[0];
    const text = loc ? renderedTexts.get(loc.file) : undefined;
    if (!loc || !template || text === undefined || loc.line === undefined) return issue;
    const tText = templateText(template.file);
    if (tText === undefined) return issue;
    const hit = correspondingLine(lines(`r:${loc.file}`, text), loc.line - 1, lines(`t:${template.file}`, tText));
    const mapped: Location = hit === undefined ? template : { file: template.file, line: hit + 1, ...(loc.column !== undefined ? { column: loc.column } : {}) };
    return { ...issue, location: mapped, related: [loc, ...(issue.related ?? []).slice(1)] };
  });
}
