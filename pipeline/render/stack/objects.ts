/**
 * From Helm output to what later stages read: each manifest document parsed into a RenderedObject that
 * names its template by stack-relative path and points into the chart's helm-template-style text.
 */
import { parseAllDocuments } from 'yaml';
import type { JsonObject, RenderedObject } from './rendered.js';
import { parseSimpleYamlRelaxed } from '../funcs/yaml-fast.js';
import { relaxQuotedScalarIndent } from '../funcs/yaml-relax.js';
import { limits } from '../../core/limits.js';

/** One manifest as the Helm renderer returns it (render/helm RenderedManifest). */
export interface ManifestLike {
  source: string;
  content: string;
  template: string;
}

/** `<chart name>/templates/x.yaml` (Helm's template name) → `<chart folder in the stack>/templates/x.yaml`. */
export function stackPathOf(helmPath: string, chartName: string, chartPath: string): string {
  return helmPath.startsWith(`${chartName}/`) ? `${chartPath}/${helmPath.slice(chartName.length + 1)}` : helmPath;
}

/**
 * Parses each manifest of `text` (the chart's whole output, named `outputFile`) into objects. Documents
 * that are empty or not a mapping (comment-only pieces) produce no object.
 */
export function manifestsToObjects(manifests: readonly ManifestLike[], text: string, outputFile: string, toStackPath: (helmPath: string) => string): RenderedObject[] {
  const objects: RenderedObject[] = [];
  let cursor = 0;
  for (const m of manifests) {
    const found = text.indexOf(m.content, cursor);
    if (found >= 0) cursor = found + m.content.length;
    // One document per template manifest; a raw CRD file (--include-crds) may hold several.
    for (const { doc, at } of documentsOf(m.content)) {
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) continue;
      objects.push({
        source: { file: toStackPath(m.source || m.template) },
        doc: doc as JsonObject,
        rendered: { file: outputFile, text, offset: found >= 0 ? found + at : undefined },
      });
    }
  }
  return objects;
}

/** Parsed documents with their start offsets; unparsable text yields none (Helm already rejected it). */
function documentsOf(content: string): { doc: unknown; at: number }[] {
  const fast = parseSimpleYamlRelaxed(content, relaxQuotedScalarIndent);
  if (fast) return [{ doc: fast.doc, at: fast.relaxed ? 0 : fast.offset }];
  for (const text of [content, relaxQuotedScalarIndent(content)]) {
    const docs = parseAllDocuments(text);
    if (Array.isArray(docs) && docs.every((d) => d.errors.length === 0)) {
      return docs.map((d) => ({ doc: d.toJS({ maxAliasCount: limits().yamlAliases }) as unknown, at: text === content ? (d.contents?.range[0] ?? d.range[0]) : 0 }));
    }
  }
  return [];
}

/** One-based line and column of `offset` in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * One-based line where each document of a template source starts (its first YAML-looking line), for
 * pieces between `---` lines that hold YAML outside actions. Used only when the count matches the
 * objects the template rendered, so a line is never guessed for conditional or generated documents.
 */
export function templateDocumentLines(source: string): number[] {
  const lines = source.split('\n');
  const starts: number[] = [];
  let current: number | undefined;
  let inComment = false;
  lines.forEach((line, i) => {
    if (/^---/.test(line)) {
      if (current !== undefined) starts.push(current);
      current = undefined;
      return;
    }
    // Skip template comments `{{/* … */}}` spanning lines.
    if (inComment) {
      if (line.includes('*/')) inComment = false;
      return;
    }
    if (/\{\{-?\s*\/\*/.test(line) && !line.includes('*/')) {
      inComment = true;
      return;
    }
    if (current === undefined && /^\s*[A-Za-z_"'][^:]*:(\s|$)/.test(line) && !/^\s*\{\{/.test(line)) current = i + 1;
  });
  if (current !== undefined) starts.push(current);
  return starts;
}

/** Sets `source.line` on objects of one template when its documents and objects correspond one to one. */
export function assignTemplateLines(objects: RenderedObject[], file: string, source: string): void {
  const mine = objects.filter((o) => o.source.file === file);
  const lines = templateDocumentLines(source);
  if (mine.length === 0 || mine.length !== lines.length) return;
  mine.forEach((o, i) => {
    o.source.line = lines[i];
  });
}
