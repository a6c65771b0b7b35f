/**
 * Turns a YAML stream (a rendered manifest, a Cluster file, a test fixture) into RenderedObjects that keep
 * their text and offset, so every issue can name the exact line. Syntax errors become positioned issues.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Issue } from '../core/errors.js';
import { documentToJs } from '../core/source.js';
import { rememberParsed } from './locate-rendered.js';
import { isJsonObject, type RenderedObject } from './types.js';

/** Parses every document of `text`; empty documents are skipped, non-objects are issues. */
export function objectsFromYaml(file: string, text: string): { objects: RenderedObject[]; issues: Issue[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const objects: RenderedObject[] = [];
  const issues: Issue[] = [];
  for (const doc of Array.isArray(docs) ? docs : []) {
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const line = lineCounter.linePos(start).line;
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = lineCounter.linePos(e.pos[0]);
        issues.push({ severity: 'error', code: 'YAML_SYNTAX', message: e.message.split('\n')[0] ?? 'YAML syntax error', location: { file, line: pos.line, column: pos.col } });
      }
      continue;
    }
    const js = documentToJs(doc, file, text);
    if (js.issue) {
      issues.push(js.issue);
      continue;
    }
    const value: unknown = js.value;
    if (value === null || value === undefined) continue;
    if (!isJsonObject(value)) {
      issues.push({ severity: 'error', code: 'OBJECT_NOT_A_MAP', message: 'a Kubernetes object must be a YAML map', location: { file, line } });
      continue;
    }
    rememberParsed(value, doc, lineCounter);
    objects.push({ source: { file, line }, doc: value, rendered: { file, text, offset: doc.range[0] } });
  }
  return { objects, issues };
}
