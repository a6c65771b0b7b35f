/**
 * Reading files a person wrote: YAML with positions, so every problem can name file:line:col.
 * Also the guards every loader shares (size limit, symlinks leaving a root).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isMap, isNode, isScalar, isSeq, parseAllDocuments, parseDocument, visit, type Document, type Node } from 'yaml';
import { UserInputError, type Issue, type Location } from './errors.js';
import { limitEnvName, limits } from './limits.js';

/** Largest file csp reads from a stack (10 MiB). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** A parsed YAML file that can map JSON pointers back to lines and columns. */
export interface SourceFile {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** Plain JS value of the document (YAML 1.2 core schema). */
  value: unknown;
}

/** Parses YAML text; syntax errors are returned as issues (all of them), never thrown. */
export function parseYamlSource(file: string, text: string): { source?: SourceFile; issues: Issue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const issues: Issue[] = [];
  for (const error of [...doc.errors, ...doc.warnings]) {
    const pos = lineCounter.linePos(error.pos[0]);
    issues.push({
      severity: doc.errors.includes(error) ? 'error' : 'warning',
      code: error.code === 'DUPLICATE_KEY' ? 'YAML_DUPLICATE_KEY' : 'YAML_SYNTAX',
      message: firstLine(error.message),
      hint: error.code === 'DUPLICATE_KEY' ? 'Remove or rename the repeated key.' : 'Fix the YAML syntax at this position.',
      location: { file, line: pos.line, column: pos.col },
    });
  }
  if (issues.some((i) => i.severity === 'error')) return { issues };
  const js = documentToJs(doc, file, text);
  if (js.issue) return { issues: [...issues, js.issue] };
  return { source: { file, text, doc, lineCounter, value: js.value }, issues };
}

/**
 * A parsed document as plain JS within the alias limit (limits().yamlAliases): an alias bomb
 * ("billion laughs") becomes a YAML_ALIAS_LIMIT issue at its first alias instead of gigabytes or a crash.
 */
export function documentToJs(doc: Document, file: string, text: string): { value?: unknown; issue?: Issue } {
  try {
    return { value: doc.toJS({ maxAliasCount: limits().yamlAliases }) };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let offset = doc.range?.[0] ?? 0;
    visit(doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? offset;
        return visit.BREAK;
      },
    });
    const { line, column } = positionAt(text, offset);
    const excessive = /excessive alias/i.test(error.message);
    return {
      issue: {
        severity: 'error',
        code: excessive ? 'YAML_ALIAS_LIMIT' : 'YAML_ALIAS_INVALID',
        message: excessive ? `aliases expand beyond ${limits().yamlAliases} nodes per anchor (an alias bomb?)` : firstLine(error.message),
        hint: excessive ? `Write the data out instead of nesting aliases; ${limitEnvName('yamlAliases')} raises the limit (docs/limits.md).` : 'Define each anchor (&name) before its alias (*name).',
        location: { file, line, column },
      },
    };
  }
}

/** One-based line and column of a character offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses a multi-document YAML stream into plain values (documents that are empty are kept as null). */
export function parseYamlStream(file: string, text: string): { values: unknown[]; issues: Issue[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const issues: Issue[] = [];
  const values: unknown[] = [];
  for (const doc of list) {
    for (const error of doc.errors) {
      const pos = lineCounter.linePos(error.pos[0]);
      issues.push({ severity: 'error', code: 'YAML_SYNTAX', message: firstLine(error.message), location: { file, line: pos.line, column: pos.col } });
    }
    const js = documentToJs(doc, file, text);
    if (js.issue) issues.push(js.issue);
    values.push(js.value ?? null);
  }
  return { values, issues };
}

/** Reads and parses a YAML file; missing/oversized/unreadable files and syntax errors become issues. */
export async function readYamlFile(file: string, displayPath = file): Promise<{ source?: SourceFile; issues: Issue[] }> {
  const read = await readTextFile(file, displayPath);
  if (read.issue) return { issues: [read.issue] };
  return parseYamlSource(displayPath, read.text ?? '');
}

/** Reads a text file with the size limit; returns an issue instead of throwing. Strips a UTF-8 BOM. */
export async function readTextFile(file: string, displayPath = file): Promise<{ text?: string; issue?: Issue }> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    return { issue: { severity: 'error', code: 'FILE_MISSING', message: `${displayPath} does not exist`, location: { file: displayPath } } };
  }
  if (!stat.isFile()) {
    return { issue: { severity: 'error', code: 'FILE_NOT_REGULAR', message: `${displayPath} is not a regular file`, location: { file: displayPath } } };
  }
  if (stat.size > MAX_FILE_BYTES) {
    return {
      issue: {
        severity: 'error',
        code: 'FILE_TOO_LARGE',
        message: `${displayPath} is ${stat.size} bytes, over the ${MAX_FILE_BYTES}-byte limit`,
        hint: 'Large files do not belong in a stack; keep binaries out of stack folders.',
        location: { file: displayPath },
      },
    };
  }
  let text = await fs.readFile(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

/** Splits an ajv-style JSON pointer (`/a/0/b`) into path segments. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Location of the node at `segments` (or its deepest existing ancestor). With `key: true` the
 * position of the map key is given (used for "unknown key" problems).
 */
export function locate(source: SourceFile, segments: (string | number)[], options: { key?: boolean } = {}): Location {
  let node: unknown = source.doc.contents;
  let keyNode: Node | undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
      if (!pair) break;
      keyNode = isNode(pair.key) ? pair.key : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      keyNode = undefined;
      node = node.items[segment];
    } else {
      break;
    }
  }
  const target = options.key && keyNode ? keyNode : isNode(node) ? node : keyNode;
  const offset = target?.range?.[0] ?? 0;
  const end = target?.range?.[1];
  const pos = source.lineCounter.linePos(offset);
  const location: Location = { file: source.file, line: pos.line, column: pos.col };
  if (end !== undefined) {
    const endPos = source.lineCounter.linePos(end);
    location.endLine = endPos.line;
    location.endColumn = endPos.col;
  }
  return location;
}

/** Location of the key `name` inside the map at `segments` (for unknown-key errors). */
export function locateKey(source: SourceFile, segments: (string | number)[], name: string): Location {
  return locate(source, [...segments, name], { key: true });
}

/**
 * Checks that `target` (a path inside `root`) does not leave `root` through a symlink, and is not a
 * symlink at all when `allowLinks` is false. Returns an issue or undefined.
 */
export async function checkInside(root: string, target: string, displayPath: string): Promise<Issue | undefined> {
  let real: string;
  let realRoot: string;
  try {
    real = await fs.realpath(target);
    realRoot = await fs.realpath(root);
  } catch {
    return { severity: 'error', code: 'FILE_MISSING', message: `${displayPath} does not exist or is a broken link`, location: { file: displayPath } };
  }
  const rel = path.relative(realRoot, real);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    return {
      severity: 'error',
      code: 'LINK_ESCAPES_STACK',
      message: `${displayPath} is a link that leaves the stack folder (to ${real})`,
      hint: 'Replace the symbolic link with a real file or folder inside the stack.',
      location: { file: displayPath },
    };
  }
  return undefined;
}

/** Throws a positioned UserInputError for a single problem (for code paths that cannot continue). */
export function userError(issue: Issue): never {
  throw new UserInputError(issue.code, issue.message, { details: issue.hint, location: issue.location });
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}
