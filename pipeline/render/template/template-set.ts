/**
 * A set of named templates sharing functions and options, like a Go *template.Template with its
 * associated templates: parse adds every `define` (later parses override), execute runs one by name.
 */
import { InternalError } from '../../core/errors.js';
import { BUILTINS } from './builtins.js';
import type { FuncEntry } from './builtins.js';
import { State } from './exec.js';
import type { ExecBudget, ExecContext, MissingKey } from './exec.js';
import { goQuote } from './go-strconv.js';
import { parseTemplateCached } from './parse-cache.js';
import { isEmptyTree } from './parser.js';
import type { Tree } from './parser.js';
import { TemplateError } from './template-error.js';
import type { FuncMap, GoValue } from './values.js';

export interface TemplateSetOptions {
  /** Action delimiters; default `{{` and `}}`. */
  delims?: [string, string];
  /** Go's `missingkey` option; default `default` (prints `<no value>`). */
  missingKey?: MissingKey;
  /** Functions available to templates (checked at parse time, like Go's Funcs before Parse). */
  funcs?: FuncMap;
  /** Name of the set's root template, used only in "no template … associated with template …" errors. */
  name?: string;
}

/** Parsed templates plus functions; see createTemplateSet. */
export interface TemplateSet {
  /** Parses `text` as template `name`, adding it and every template it defines; returns their names. */
  parse(name: string, text: string): string[];
  /** Executes template `name` with `data` (Go's ExecuteTemplate); may be called from inside a function. */
  execute(name: string, data: GoValue): string;
  has(name: string): boolean;
  names(): string[];
  /** An independent copy (templates, functions, options), as Go's Clone for Helm's `tpl`. */
  clone(): TemplateSet;
  /** Adds or replaces functions (Go's Funcs); affects later parses and all executions. */
  addFuncs(funcs: FuncMap): void;
  readonly missingKey: MissingKey;
}

const GOOD_NAME = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

// Nesting of execute() calls (functions like Helm's include re-enter); stack overflows are reported once, outermost.
let activeExecutions = 0;

class Set implements TemplateSet, ExecContext {
  readonly trees: Map<string, Tree>;
  readonly funcs: Map<string, FuncEntry>;

  constructor(
    readonly missingKey: MissingKey,
    readonly delims: [string, string],
    readonly rootName: string,
    trees?: Map<string, Tree>,
    funcs?: Map<string, FuncEntry>,
    readonly budget: ExecBudget = { steps: 0, output: 0 },
  ) {
    this.trees = new Map(trees);
    this.funcs = new Map(funcs);
  }

  lookup(name: string): Tree | undefined {
    return this.trees.get(name);
  }

  findFunction(name: string): FuncEntry | undefined {
    return this.funcs.get(name) ?? (Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined);
  }

  addFuncs(funcs: FuncMap): void {
    for (const [name, f] of Object.entries(funcs)) {
      if (!GOOD_NAME.test(name)) {
        throw new InternalError('TEMPLATE_BAD_FUNCTION', `function name ${goQuote(name)} is not a valid identifier`, {
          details: 'Template function names must be Go identifiers.',
        });
      }
      this.funcs.set(name, { params: f.params, variadic: f.variadic, call: f.call, builtin: false });
    }
  }

  parse(name: string, text: string): string[] {
    const trees = parseTemplateCached(name, text, {
      leftDelim: this.delims[0],
      rightDelim: this.delims[1],
      hasFunction: (fn) => this.funcs.has(fn) || Object.hasOwn(BUILTINS, fn),
    });
    for (const [n, tree] of trees) {
      const old = this.trees.get(n);
      // AddParseTree: an empty tree does not replace an existing definition.
      if (old !== undefined && isEmptyTree(tree.root)) continue;
      this.trees.set(n, tree);
    }
    return [...trees.keys()];
  }

  execute(name: string, data: GoValue): string {
    const tree = this.trees.get(name);
    if (tree === undefined) {
      throw new TemplateError('TEMPLATE_NOT_FOUND', `template: no template ${goQuote(name)} associated with template ${goQuote(this.rootName)}`);
    }
    const dot = data === null ? undefined : data;
    const out = { s: '' };
    const state = new State(this, name, out, 0, dot);
    activeExecutions++;
    try {
      state.walk(dot, tree.root);
    } catch (e) {
      if (e instanceof RangeError && activeExecutions === 1 && e.message.includes('call stack')) {
        throw new TemplateError('TEMPLATE_EXEC_ERROR', `template: ${name}: exceeded maximum template depth (100000)`, { file: name });
      }
      throw e;
    } finally {
      activeExecutions--;
    }
    return out.s;
  }

  has(name: string): boolean {
    return this.trees.has(name);
  }

  names(): string[] {
    return [...this.trees.keys()];
  }

  clone(): TemplateSet {
    return new Set(this.missingKey, this.delims, this.rootName, this.trees, this.funcs, this.budget);
  }
}

/** Creates an empty template set with the given delimiters, missingkey mode and functions. */
export function createTemplateSet(options: TemplateSetOptions = {}): TemplateSet {
  const set = new Set(options.missingKey ?? 'default', options.delims ?? ['{{', '}}'], options.name ?? '');
  if (options.funcs) set.addFuncs(options.funcs);
  return set;
}
