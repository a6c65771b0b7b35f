/**
 * In-place YAML edits on the parsed source ranges: each edit replaces exactly one scalar's bytes, keeping
 * its quote style; comments, key order, blank lines and every other byte stay as they were.
 */
import { isScalar, parse, parseDocument, visit, type Scalar } from 'yaml';

export interface ScalarEdit {
  /** Keys and sequence indexes to the scalar. */
  path: (string | number)[];
  value: string;
}

/** Applies the edits; throws Error naming the first path that does not lead to a plain string scalar. */
export function editScalars(text: string, edits: readonly ScalarEdit[]): string {
  if (edits.length === 0) return text;
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`cannot edit: ${doc.errors[0]!.message.split('\n')[0]}`);
  const ranges: { start: number; end: number; replacement: string }[] = [];
  for (const edit of edits) {
    const node = doc.getIn(edit.path, true);
    if (!isScalar(node) || !node.range) throw new Error(`no scalar at ${edit.path.join('.')}`);
    if (String(node.value) === edit.value) continue;
    ranges.push({ start: node.range[0], end: node.range[1], replacement: render(node, edit.value) });
  }
  return splice(text, ranges);
}

/** Replaces every string scalar for which `map` returns a new value (e.g. image names carrying a version). */
export function editMatchingScalars(text: string, map: (value: string) => string | undefined): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return text;
  const ranges: { start: number; end: number; replacement: string }[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !node.range) return;
      const next = map(node.value);
      if (next !== undefined && next !== node.value) ranges.push({ start: node.range[0], end: node.range[1], replacement: render(node, next) });
    },
  });
  return splice(text, ranges);
}

function render(node: Scalar, value: string): string {
  if (node.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (node.type === 'QUOTE_SINGLE') return `'${value.replaceAll("'", "''")}'`;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') throw new Error('block scalars are not edited in place');
  // Plain only when it reads back as the same string (not a number, bool, mapping or comment).
  const plainOk = /^[A-Za-z0-9._/+-][A-Za-z0-9._/:+-]*$/.test(value) && parse(`v: ${value}`)?.v === value;
  return plainOk ? value : JSON.stringify(value);
}

function splice(text: string, ranges: { start: number; end: number; replacement: string }[]): string {
  let out = text;
  for (const r of [...ranges].sort((a, b) => b.start - a.start)) out = `${out.slice(0, r.start)}${r.replacement}${out.slice(r.end)}`;
  return out;
}
