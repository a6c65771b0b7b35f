/** Minimal in-place edits of YAML text: replace one scalar, keep every other byte (comments, layout, quotes). */
import { isScalar, parseDocument } from 'yaml';

/**
 * Replaces the scalar at `at` (keys and sequence indexes) with `value`, keeping its quote style.
 * Returns undefined when the path does not lead to a scalar; the text unchanged when it already holds `value`.
 */
export function replaceScalar(text: string, at: (string | number)[], value: string): string | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) return undefined;
  const node = doc.getIn(at, true);
  if (!isScalar(node) || !node.range) return undefined;
  if (String(node.value) === value) return text;
  const [start, end] = node.range;
  const quote = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : '';
  return `${text.slice(0, start)}${quote}${value}${quote}${text.slice(end)}`;
}
