/**
 * Allocation budgets of template functions: a chart may ask for `until 200000000` or
 * `randAlphaNum 500000000`; the size is checked before anything is allocated, and the error names
 * the limit and its override (docs/limits.md). The template engine adds the call's position.
 */
import { limitEnvName, limits } from '../../core/limits.js';

/** Throws unless a list of `count` elements fits the template item budget. */
export function checkItems(fn: string, count: number): void {
  const max = limits().templateItems;
  if (count > max) {
    throw new Error(`csp budget: ${fn} would create ${count} elements, over the limit of ${max} (${limitEnvName('templateItems')})`);
  }
}

/** Throws unless a string of `length` characters fits the template string budget. */
export function checkString(fn: string, length: number): void {
  const max = limits().templateString;
  if (length > max) {
    throw new Error(`csp budget: ${fn} would create ${length} characters, over the limit of ${max} (${limitEnvName('templateString')})`);
  }
}
