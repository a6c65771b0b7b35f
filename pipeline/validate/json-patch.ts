/**
 * RFC 6902 JSON Patch and RFC 7386 JSON Merge Patch with the semantics CAPI gets from evanphx/json-patch
 * v5 defaults (rendering-and-capi.md §5.4.6): `add` under a missing parent fails, `replace`/`remove`
 * need an existing target, key order is kept and new keys are appended. Pure; inputs are never mutated.
 */
import { isJsonObject, type JsonObject } from './types.js';

/** One RFC 6902 operation. */
export interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** Why an operation failed, in evanphx's words where it has them. */
export class JsonPatchError extends Error {
  constructor(
    message: string,
    readonly opIndex: number,
    readonly path: string,
  ) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

/** Splits a JSON pointer into unescaped tokens; throws on a pointer not starting with `/`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer "${pointer}" must start with "/"`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, forAdd: boolean): number | undefined {
  if (forAdd && token === '-') return length;
  if (!/^-?\d+$/.test(token)) return undefined;
  let i = Number(token);
  // evanphx v5 supports negative indices (SupportNegativeIndices defaults to true).
  if (i < 0) i += length;
  if (i < 0 || i > length || (!forAdd && i === length)) return undefined;
  return i;
}

/** Walks to the container of the last token; undefined when a parent is missing. */
function parentOf(doc: unknown, tokens: string[]): unknown {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) {
      const i = arrayIndex(token, node.length, false);
      if (i === undefined) return undefined;
      node = node[i];
    } else if (isJsonObject(node)) {
      if (!Object.hasOwn(node, token)) return undefined;
      node = node[token];
    } else {
      return undefined;
    }
  }
  return node;
}

function applyOne(doc: unknown, op: JsonPatchOp, index: number): unknown {
  const fail = (why: string): never => {
    throw new JsonPatchError(why, index, op.path);
  };
  if (typeof op.path !== 'string') fail(`${op.op} operation has no path`);
  let tokens: string[] = [];
  try {
    tokens = parsePointer(op.path);
  } catch (e) {
    fail((e as Error).message);
  }
  if (op.op !== 'add' && op.op !== 'replace' && op.op !== 'remove') fail(`unsupported operation "${op.op}" (CAPI allows add, replace, remove)`);
  if (tokens.length === 0) {
    if (op.op === 'remove') fail('remove operation cannot remove the whole document');
    return structuredClone(op.value);
  }
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    const i = arrayIndex(last, parent.length, op.op === 'add');
    if (i === undefined) fail(`${op.op} operation does not apply: index "${last}" is out of bounds for an array of ${parent.length}`);
    const at = i as number;
    if (op.op === 'add') parent.splice(at, 0, structuredClone(op.value));
    else if (op.op === 'replace') parent[at] = structuredClone(op.value);
    else parent.splice(at, 1);
    return doc;
  }
  if (!isJsonObject(parent)) {
    fail(`${op.op} operation does not apply: doc is missing path: "${op.path}"`);
  }
  const obj = parent as JsonObject;
  if (op.op === 'add') {
    obj[last] = structuredClone(op.value);
  } else if (!Object.hasOwn(obj, last)) {
    fail(`${op.op} operation does not apply: doc is missing key: "${op.path}"`);
  } else if (op.op === 'replace') {
    obj[last] = structuredClone(op.value);
  } else {
    delete obj[last];
  }
  return doc;
}

/** Applies operations in order to a copy of `doc`; the first failing operation throws JsonPatchError. */
export function applyJsonPatch(doc: unknown, ops: readonly JsonPatchOp[]): unknown {
  let out = structuredClone(doc);
  ops.forEach((op, i) => {
    out = applyOne(out, op, i);
  });
  return out;
}

/** RFC 7386: objects merge recursively, `null` deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return structuredClone(patch);
  const out: JsonObject = isJsonObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}
