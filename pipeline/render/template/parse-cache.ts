/**
 * Parsed templates by name, delimiters and text, for renders that parse the same chart again (renamed copies
 * of a stack, every Kubernetes minor, `tpl` on the same string). A parse is a pure function of those and of the
 * answers hasFunction gave; an entry records the answers and is used only when they are all the same again.
 * Trees are never changed after parsing (template sets already share them through clone), so hits share them.
 */
import { parseTemplate, type ParseOptions, type Tree } from './parser.js';

interface Entry {
  trees: [string, Tree][];
  /** Every function name the parse asked about, with the answer it got. */
  asked: [string, boolean][];
  chars: number;
}

/** Bound on the template text held (trees are a small multiple of it). */
const MAX_CHARS = 8 * 1024 * 1024;
const entries = new Map<string, Entry>();
let heldChars = 0;

/** parseTemplate, answered from earlier parses of the same template when every function check agrees. */
export function parseTemplateCached(name: string, text: string, opts: ParseOptions): Map<string, Tree> {
  const key = `${opts.leftDelim}\u0000${opts.rightDelim}\u0000${name}\u0000${text}`;
  const hit = entries.get(key);
  if (hit && hit.asked.every(([fn, had]) => opts.hasFunction(fn) === had)) {
    entries.delete(key);
    entries.set(key, hit);
    return new Map(hit.trees);
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
  remember(key, { trees: [...trees], asked: [...asked], chars: key.length });
  return trees;
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
