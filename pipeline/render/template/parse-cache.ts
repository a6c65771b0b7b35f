/**
 * Parsed templates by delimiters and text, for renders that parse the same chart again: renamed copies of a
 * stack (Helm names templates `CHART/templates/FILE`, and the cluster-class chart is named after the stack and
 * minor), every Kubernetes minor, `tpl` on the same string. A parse is a pure function of the text, the
 * delimiters, the answers hasFunction gave and the template's name; an entry records the answers and is used only
 * when they are all the same again. Under another name the trees are copied with the name replaced (nodes carry
 * it for error messages); a name that is also the name of a `define`/`block` in the text is never served
 * from the cache. Trees are never changed after parsing (template sets share them through clone).
 */
import type { Node, TreeSource } from './nodes.js';
import { parseTemplate, type ParseOptions, type Tree } from './parser.js';

interface Entry {
  name: string;
  trees: [string, Tree][];
  /** Every function name the parse asked about, with the answer it got. */
  asked: [string, boolean][];
  chars: number;
}

/** Bound on the template text held (trees are a small multiple of it). */
const MAX_CHARS = 4 * 1024 * 1024;
const entries = new Map<string, Entry>();
let heldChars = 0;

/** parseTemplate, answered from an earlier parse of the same text when every function check agrees. */
export function parseTemplateCached(name: string, text: string, opts: ParseOptions): Map<string, Tree> {
  const key = `${opts.leftDelim}\u0000${opts.rightDelim}\u0000${text}`;
  const hit = entries.get(key);
  if (hit && hit.asked.every(([fn, had]) => opts.hasFunction(fn) === had)) {
    if (hit.name === name) return new Map(hit.trees);
    if (!hit.trees.some(([n]) => n === name)) return renamed(hit, name, text);
  }
  const asked = new Map<string, boolean>();
  const trees = parseTemplate(name, text, {
    ...opts,
    hasFunction: (fn) => {
      const had = opts.hasFunction(fn);
      asked.set(fn, had);
      return had;
    },
  });
  remember(key, { name, trees: [...trees], asked: [...asked], chars: key.length });
  return trees;
}

/** The entry's trees as a parse under `name` gives them: the top-level tree renamed, every node's source too. */
function renamed(entry: Entry, name: string, text: string): Map<string, Tree> {
  const src: TreeSource = { parseName: name, text };
  const copies = new Map<object, unknown>();
  const copy = <T>(value: T): T => {
    if (typeof value !== 'object' || value === null) return value;
    const done = copies.get(value);
    if (done !== undefined) return done as T;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      copies.set(value, out);
      for (const v of value) out.push(copy(v));
      return out as T;
    }
    const out: Record<string, unknown> = {};
    copies.set(value, out);
    for (const [k, v] of Object.entries(value)) out[k] = k === 'tr' ? src : copy(v);
    return out as T;
  };
  const out = new Map<string, Tree>();
  for (const [n, tree] of entry.trees) {
    const root = copy(tree.root as Node);
    out.set(n === entry.name ? name : n, { name: tree.name === entry.name ? name : tree.name, parseName: name, root: root as Tree['root'], text: tree.text });
  }
  return out;
}

function remember(key: string, entry: Entry): void {
  if (entry.chars > MAX_CHARS / 4) return;
  const old = entries.get(key);
  if (old) {
    heldChars -= old.chars;
    entries.delete(key);
  }
  entries.set(key, entry);
  heldChars += entry.chars;
  for (const [k, e] of entries) {
    if (heldChars <= MAX_CHARS) break;
    entries.delete(k);
    heldChars -= e.chars;
  }
}

/** How many parses are held (tests). */
export function cachedParseCount(): number {
  return entries.size;
}
