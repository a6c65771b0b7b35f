/**
 * Maps a JSON path inside a rendered object to a file location: the exact line of the rendered YAML
 * when its text is known, otherwise the template file and the object's first line.
 */
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Issue, Location } from '../core/errors.js';
import { locate, pointerToPath, type SourceFile } from '../core/source.js';
import type { RenderedObject } from './types.js';

interface ParsedStream {
  docs: Document.Parsed[];
  lineCounter: LineCounter;
}

// Parsed only when an issue needs a line; one entry per distinct rendered text.
const streams = new Map<string, ParsedStream>();

/**
 * The YAML document each object was read from, when objectsFromYaml parsed it (keyed by the object's value,
 * which copies of the RenderedObject share): issues are located in that parse instead of parsing the whole
 * stream a second time.
 */
const parsedFrom = new WeakMap<object, { doc: Document.Parsed; lineCounter: LineCounter }>();

/** Remembers the document (and the stream's line counter) `value` was converted from. */
export function rememberParsed(value: object, doc: Document.Parsed, lineCounter: LineCounter): void {
  parsedFrom.set(value, { doc, lineCounter });
}

function parsedStream(text: string): ParsedStream {
  let parsed = streams.get(text);
  if (!parsed) {
    const lineCounter = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter });
    parsed = { docs: Array.isArray(docs) ? docs : [], lineCounter };
    if (streams.size > 64) streams.clear();
    streams.set(text, parsed);
  }
  return parsed;
}

/** Location of `segments` inside `object` (ends at the deepest existing node; key position with `key`). */
export function locateInObject(object: RenderedObject, segments: (string | number)[], options: { key?: boolean } = {}): Location {
  const template: Location = { file: object.source.file, ...(object.source.line !== undefined ? { line: object.source.line } : {}) };
  const rendered = object.rendered;
  if (!rendered) return template;
  const known = parsedFrom.get(object.doc);
  if (known && known.doc.range[0] === (rendered.offset ?? 0)) {
    return locate({ file: rendered.file ?? object.source.file, text: rendered.text, doc: known.doc, lineCounter: known.lineCounter, value: undefined }, segments, options);
  }
  const { docs, lineCounter } = parsedStream(rendered.text);
  const offset = rendered.offset ?? 0;
  // Documents are in stream order: binary search for the last one starting at or before the offset.
  let lo = 0;
  let hi = docs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((docs[mid] as Document.Parsed).range[0] <= offset) lo = mid;
    else hi = mid - 1;
  }
  const candidate = docs[lo];
  const doc = candidate && candidate.range[0] <= offset && offset < Math.max(candidate.range[2], candidate.range[0] + 1) ? candidate : docs.find((d) => d.range[0] >= offset);
  if (!doc) return template;
  const source: SourceFile = { file: rendered.file ?? object.source.file, text: rendered.text, doc, lineCounter, value: undefined };
  return locate(source, segments, options);
}

/** Same as locateInObject, plus the template as a related location when the line is from rendered output. */
export function issueLocation(object: RenderedObject, segments: (string | number)[], options: { key?: boolean } = {}): { location: Location; related?: Location[] } {
  const location = locateInObject(object, segments, options);
  if (!object.rendered) return { location };
  return { location, related: [{ file: object.source.file, ...(object.source.line !== undefined ? { line: object.source.line } : {}) }] };
}

/** Issue facts shared by every check; `pointer` is the JSON pointer inside `object` the issue is about. */
export interface IssueFacts {
  severity?: 'error' | 'warning' | 'note';
  code: string;
  message: string;
  hint?: string;
  /** Point at the map key (default) or at the value node (false). */
  key?: boolean;
}

/** Builds a positioned issue about `pointer` inside `object`. */
export function issueAt(object: RenderedObject, pointer: string, facts: IssueFacts): Issue & { path: string } {
  const { location, related } = issueLocation(object, pointerToPath(pointer), { key: facts.key ?? true });
  return {
    severity: facts.severity ?? 'error',
    code: facts.code,
    message: facts.message,
    ...(facts.hint ? { hint: facts.hint } : {}),
    location,
    ...(related ? { related } : {}),
    path: pointer,
  };
}
