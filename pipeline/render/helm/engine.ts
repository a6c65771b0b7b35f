/**
 * Helm's rendering engine (helm/helm pkg/engine/engine.go): every template of the chart and its subcharts in
 * one set (missingkey=zero, parsed deepest path first), Sprig + Helm functions, `include`/`tpl`/`required`/
 * `fail`/`lookup`, and `<no value>` stripped from each output.
 */
import { createHash } from 'node:crypto';
import { UserInputError } from '../../core/errors.js';
import { fn } from '../funcs/define.js';
import { helmFuncs } from '../funcs/helm-funcs.js';
import { seededRandom, sprigFuncs } from '../funcs/sprig.js';
import { createTemplateSet, goQuote, TemplateError } from '../template/index.js';
import type { FuncMap, GoMap, TemplateSet } from '../template/index.js';
import type { Renderable } from './context.js';
import { parseToml, TomlError } from './toml-parse.js';
import { limits } from '../../core/limits.js';

const ROOT_NAME = 'gotpl';
const WARN_START = 'HELM_ERR_START';
const WARN_END = 'HELM_ERR_END';

/** Options that make random, crypto and time functions repeatable. */
export interface EngineOptions {
  seed?: string;
  now?: Date;
}

/** sortTemplates: deeper paths first, then reverse lexical order (so the root chart's defines win). */
export function sortTemplateNames(names: string[]): string[] {
  const depth = (s: string): number => s.split('/').length - 1;
  return [...names].sort((a, b) => {
    const da = depth(a);
    const db = depth(b);
    if (da !== db) return db - da;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

// Without a seed or a clock the function map holds no per-render state, so one map serves every render.
let unseededFuncs: FuncMap | undefined;

function baseFuncs(options: EngineOptions): FuncMap {
  if (options.seed === undefined && options.now === undefined) return (unseededFuncs ??= buildFuncs(options));
  return buildFuncs(options);
}

function buildFuncs(options: EngineOptions): FuncMap {
  const now = options.now;
  const sprig = sprigFuncs({
    random: options.seed !== undefined ? seededRandom(options.seed) : undefined,
    now: now ? () => new Date(now.getTime()) : undefined,
    keySeed: options.seed,
  });
  return {
    ...sprig,
    ...helmFuncs(),
    required: fn(['string', 'interface{}'], (warn, val) => {
      if (val === null || val === undefined || val === '') throw new Error(WARN_START + String(warn) + WARN_END);
      return val;
    }),
    fail: fn(['string'], (msg) => {
      throw new Error(WARN_START + String(msg) + WARN_END);
    }),
    lookup: fn(['string', 'string', 'string', 'string'], () => ({})),
    // Helm's fromToml: errors land under "Error" like fromYaml.
    fromToml: fn(['string'], (text) => {
      try {
        return parseToml(String(text));
      } catch (e) {
        if (!(e instanceof TomlError)) throw e;
        return { Error: e.message };
      }
    }),
    // Sprig 3.3.0 (Helm 3.19) has sha512sum; the 3.2.3 function set the funcs library follows does not.
    sha512sum: fn(['string'], (text) => createHash('sha512').update(String(text), 'utf8').digest('hex')),
  };
}

function templateFuncs(set: TemplateSet, included: Map<string, number>): FuncMap {
  return {
    include: fn(['string', 'interface{}'], (name, data) => {
      const n = String(name);
      const count = included.get(n) ?? 0;
      if (count > limits().includeDepth) throw new Error(`rendering template has a nested reference name: ${n}: unable to execute template`);
      included.set(n, count + 1);
      try {
        return set.execute(n, data ?? null);
      } finally {
        included.set(n, (included.get(n) ?? 1) - 1);
      }
    }),
    tpl: fn(['string', 'interface{}'], (text, vals) => {
      const src = String(text);
      // Helm 3.18+: text without actions is returned as it is.
      if (!src.includes('{{') && !src.includes('}}')) return src;
      const t = set.clone();
      t.addFuncs(templateFuncs(t, included));
      // Helm parses the text under the root template's name (t.New(parent.Name())), "gotpl".
      try {
        t.parse(ROOT_NAME, src);
      } catch (e) {
        throw new Error(`cannot parse template ${goQuote(src)}: ${(e as Error).message}`);
      }
      try {
        return t.execute(ROOT_NAME, vals ?? null).replaceAll('<no value>', '');
      } catch (e) {
        throw new Error(`error during tpl function execution for ${goQuote(src)}: ${(e as Error).message}`);
      }
    }),
  };
}

/** Helm's cleanupParseError / reformatExecErrorMsg, as a positioned user error. */
function helmError(e: unknown, templates: Map<string, Renderable>, parse: boolean): never {
  if (!(e instanceof TemplateError)) throw e;
  const tokens = e.message.split(': ');
  const loc = tokens[1] ?? '';
  const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(loc);
  const where = m?.[1] ?? e.location?.file ?? '';
  let location = {
    file: templates.get(where)?.file ?? where,
    line: m ? Number(m[2]) : e.location?.line,
    column: m?.[3] !== undefined ? Number(m[3]) + 1 : e.location?.column,
  };
  // The message names the outermost template (as Helm prints it); point the location at the innermost
  // chart file in the include chain, where the problem is.
  const chain = [...e.message.matchAll(/template: ([^\s:]+):(\d+):(\d+): /g)].filter((x) => templates.has(x[1] ?? ''));
  const inner = chain[chain.length - 1];
  if (!parse && inner) location = { file: templates.get(inner[1] ?? '')?.file ?? '', line: Number(inner[2]), column: Number(inner[3]) + 1 };
  if (parse) {
    throw new UserInputError('HELM_TEMPLATE_PARSE_ERROR', `parse error at (${loc}): ${tokens[tokens.length - 1] ?? e.message}`, {
      details: 'Fix the template syntax (Go text/template); unknown function names fail even in unused helpers.',
      location,
      cause: e,
    });
  }
  const warned = new RegExp(`${WARN_START}([\\s\\S]*)${WARN_END}`).exec(e.message);
  if (warned) {
    throw new UserInputError('HELM_TEMPLATE_FAILED', `execution error at (${loc}): ${warned[1] ?? ''}`, {
      details: 'The chart refused the values (required or fail); set the value it names.',
      location,
      cause: e,
    });
  }
  throw new UserInputError('HELM_TEMPLATE_EXEC_ERROR', e.message, {
    details: 'Check the values and functions the template uses at the reported line and column.',
    location,
    cause: e,
  });
}

/** Renders all templates; returns the output of every non-partial template by full name. */
export function renderTemplates(templates: Map<string, Renderable>, options: EngineOptions): Map<string, string> {
  const set = createTemplateSet({ missingKey: 'zero', name: ROOT_NAME, funcs: baseFuncs(options) });
  const included = new Map<string, number>();
  set.addFuncs(templateFuncs(set, included));
  const names = sortTemplateNames([...templates.keys()]);
  for (const name of names) {
    const tpl = templates.get(name) as Renderable;
    try {
      set.parse(name, tpl.text);
    } catch (e) {
      helmError(e, templates, true);
    }
  }
  const rendered = new Map<string, string>();
  for (const name of names) {
    if ((name.split('/').pop() ?? '').startsWith('_')) continue;
    const tpl = templates.get(name) as Renderable;
    const vals: GoMap = tpl.vals;
    vals.Template = { Name: name, BasePath: tpl.basePath };
    let out: string;
    try {
      out = set.execute(name, vals);
    } catch (e) {
      helmError(e, templates, false);
    }
    rendered.set(name, out.replaceAll('<no value>', ''));
  }
  return rendered;
}
