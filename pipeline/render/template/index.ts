/**
 * Go 1.19 text/template in TypeScript: the public surface of the template engine.
 *
 * - `createTemplateSet({ delims, missingKey, funcs, name })` → a TemplateSet:
 *   `parse(name, text)` adds the template and every `define` in it (a later parse overrides earlier
 *   definitions; unknown function names fail at parse time), `execute(name, data)` renders one template
 *   (re-entrant: a function may call `set.execute` of the same set, as Helm's `include` does),
 *   `has`, `names`, `clone` (for Helm's `tpl`) and `addFuncs`.
 * - Data and function values use the GoValue model in values.ts; functions are `TemplateFunction`s
 *   with declared Go parameter types, so arguments are checked and converted like Go's reflect call.
 * - Every failure is a `TemplateError` whose message is Go's exact text.
 * - `goSprint`, `goSprintln`, `goSprintf`, `formatFloat`, `goQuote` reuse Go's fmt/strconv formatting.
 */
export { createTemplateSet } from './template-set.js';
export type { TemplateSet, TemplateSetOptions } from './template-set.js';
export type { MissingKey } from './exec.js';
export { TemplateError } from './template-error.js';
export type { TemplateErrorCode } from './template-error.js';
export { goSprint, goSprintf, goSprintln } from './gofmt.js';
export { formatFloat, formatFloatV } from './go-float.js';
export { goQuote, goQuoteRune } from './go-strconv.js';
export { isTrue, typeName } from './go-kinds.js';
export { GoNumber, GoStruct, isGoMap, withMapMethods, withSliceMethods } from './values.js';
export type { FuncMap, GoFunc, GoMap, GoParamType, GoValue, SliceMethod, TemplateFunction } from './values.js';
