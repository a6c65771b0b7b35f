/**
 * Unified diff of two texts with the same line structure (in-place scalar edits never add or remove
 * lines); a text whose line count differs is shown as one whole-file hunk.
 */

/** `--- a/<file>` / `+++ b/<file>` diff with `context` lines around each change. */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  const head = [`--- a/${file}`, `+++ b/${file}`];
  if (a.length !== b.length) {
    return [...head, `@@ -1,${a.length} +1,${b.length} @@`, ...a.map((l) => `-${l}`), ...b.map((l) => `+${l}`)].join('\n');
  }
  const changed = a.map((line, i) => line !== b[i]);
  const out = [...head];
  let i = 0;
  while (i < a.length) {
    if (!changed[i]) {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2 × context lines.
    for (let j = i; j < a.length && j <= end + 2 * context; j++) if (changed[j]) end = j;
    const stop = Math.min(a.length - 1, end + context);
    const lines: string[] = [];
    for (let k = start; k <= stop; k++) {
      if (changed[k]) lines.push(`-${a[k]}`, `+${b[k]}`);
      else lines.push(` ${a[k]}`);
    }
    const count = stop - start + 1;
    out.push(`@@ -${start + 1},${count} +${start + 1},${count} @@`, ...lines);
    i = stop + 1;
  }
  return out.join('\n');
}
