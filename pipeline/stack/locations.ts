/** Builds the "file#/pointer" → position table stored in the Stack model. */
import { isMap, isNode, isScalar, isSeq } from 'yaml';
import type { Location } from '../core/errors.js';
import type { SourceFile } from '../core/source.js';

/** Records the position of every node of `source` under "<file>#<pointer>" (keys get "#<pointer>@key"). */
export function collectLocations(source: SourceFile, into: Record<string, Location>): void {
  const visit = (node: unknown, pointer: string): void => {
    if (isNode(node) && node.range) {
      const pos = source.lineCounter.linePos(node.range[0]);
      into[`${source.file}#${pointer}`] = { file: source.file, line: pos.line, column: pos.col };
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (isNode(pair.key) && pair.key.range) {
          const pos = source.lineCounter.linePos(pair.key.range[0]);
          into[`${source.file}#${child}@key`] = { file: source.file, line: pos.line, column: pos.col };
        }
        visit(pair.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, `${pointer}/${i}`));
    }
  };
  into[`${source.file}#`] = { file: source.file, line: 1, column: 1 };
  visit(source.doc.contents, '');
}

/** Looks up a position; falls back to the nearest recorded ancestor, then to the file itself. */
export function where(locations: Record<string, Location>, file: string, pointer: string): Location {
  let p = pointer;
  for (;;) {
    const hit = locations[`${file}#${p}`];
    if (hit) return hit;
    if (p === '') return { file };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
