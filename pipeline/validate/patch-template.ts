/**
 * The CAPI patch-template layer (layer 4): `enabledIf` and `valueFrom.template` are Go text/template
 * with Sprig's HermeticTxtFuncMap and the default missingkey (prints `<no value>`). This file is the
 * one seam to the template engine; it also finds the variables a template reads.
 */
import { hermeticSprigFuncs } from '../render/index.js';
import { parseYamlGo } from '../render/index.js';
import { createTemplateSet, type GoValue, type TemplateSet } from '../render/index.js';

let engine: { set: TemplateSet; names: Map<string, string> } | undefined;

function templates(): { set: TemplateSet; names: Map<string, string> } {
  engine ??= { set: createTemplateSet({ funcs: hermeticSprigFuncs(), name: 'tpl' }), names: new Map() };
  return engine;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Parses a patch template; returns Go's parse error text, or undefined when it parses. */
export function checkPatchTemplate(text: string): string | undefined {
  try {
    templateName(text);
    return undefined;
  } catch (e) {
    return errorText(e);
  }
}

function templateName(text: string): string {
  const { set, names } = templates();
  let name = names.get(text);
  if (name === undefined) {
    name = `tpl${names.size}`;
    set.parse(name, text);
    names.set(text, name);
  }
  return name;
}

/** Renders a patch template with the given variables (throws the engine's error on failure). */
export function renderPatchTemplate(text: string, variables: Record<string, unknown>): string {
  // Variables reach the template after a JSON round trip, as in CAPI (all numbers become float64).
  const data = JSON.parse(JSON.stringify(variables)) as GoValue;
  return templates().set.execute(templateName(text), data);
}

/** Parses rendered template output like sigs.k8s.io/yaml (YAML 1.1 booleans, numbers as float64). */
export function parseTemplateOutput(output: string): unknown {
  return parseYamlGo(output);
}

/**
 * Field chains a template reads from its data (`.foo.bar` → ["foo", "bar"], `$.x` too). The engine's
 * parse tree is not part of its public API, so this scans the actions: string literals and comments
 * are skipped, and chains inside `range`/`with`/`define`/`block` (where dot is rebound) are ignored.
 */
export function templateFieldChains(text: string): string[][] {
  const chains: string[][] = [];
  const scopes: boolean[] = []; // true = dot rebound inside this block
  const action = /\{\{-?\s*([\s\S]*?)\s*-?\}\}/g;
  for (let m = action.exec(text); m; m = action.exec(text)) {
    const body = (m[1] ?? '').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'/g, ' "" ');
    const keyword = /^(if|range|with|define|block|else|end)\b/.exec(body)?.[1];
    const rebound = scopes.includes(true);
    const field = /(?<![\w)\].$])(\$?)((?:\.[A-Za-z_]\w*)+)/g;
    for (let f = field.exec(body); f; f = field.exec(body)) {
      // A block's own header is still evaluated in the enclosing scope (`rebound` is computed before the push).
      if (f[1] !== '$' && rebound) continue;
      chains.push((f[2] ?? '').slice(1).split('.'));
    }
    if (keyword === 'if') scopes.push(false);
    else if (keyword === 'range' || keyword === 'with' || keyword === 'define' || keyword === 'block') scopes.push(true);
    else if (keyword === 'end') scopes.pop();
  }
  return chains;
}
