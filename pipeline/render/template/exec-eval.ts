/**
 * Expression evaluation of text/template (exec.go evalPipeline … evalField): pipelines, commands,
 * field chains over maps and structs, and the missingkey modes.
 */
import type { State } from './exec.js';
import { elemType, typeName, zeroOf } from './go-kinds.js';
import { goQuote } from './go-strconv.js';
import type { ChainNode, CommandNode, FieldNode, Node, NumberNode, PipeNode, VariableNode } from './nodes.js';
import { nodeString } from './nodes.js';
import { GoStruct, isGoMap, mapMethodsOf, namedSliceTypeOf } from './values.js';
import type { GoFunc, GoValue, SliceMethod } from './values.js';

/** Marks "no value from a previous pipeline stage" (Go's missingVal). */
export const MISSING: unique symbol = Symbol('missingVal');
export type Final = GoValue | typeof MISSING;

/** Evaluates a pipeline; declared variables are pushed (or assigned). Nil interfaces become undefined. */
export function evalPipeline(s: State, dot: GoValue, pipe: PipeNode): GoValue {
  s.at(pipe);
  let value: Final = MISSING;
  const cmds = pipe.cmds;
  for (let i = 0; i < cmds.length; i++) {
    value = evalCommand(s, dot, cmds[i] as CommandNode, value);
    if (value === null) value = undefined;
  }
  const v = value as GoValue;
  for (const d of pipe.decl) {
    if (pipe.isAssign) s.setVar(d.ident[0] as string, v);
    else s.push(d.ident[0] as string, v, false);
  }
  return v;
}

function notAFunction(s: State, args: Node[], final: Final): void {
  if (args.length > 1 || final !== MISSING) s.errorf(`can't give argument to non-function ${nodeString(args[0] as Node)}`);
}

function evalCommand(s: State, dot: GoValue, cmd: CommandNode, final: Final): GoValue {
  const first = cmd.args[0] as Node;
  switch (first.type) {
    case 'field':
      return evalFieldNode(s, dot, first, cmd.args, final);
    case 'chain':
      return evalChainNode(s, dot, first, cmd.args, final);
    case 'identifier':
      return evalFunction(s, dot, first.ident, first, cmd, cmd.args, final);
    case 'pipe':
      notAFunction(s, cmd.args, final);
      return evalPipeline(s, dot, first);
    case 'variable':
      return evalVariableNode(s, dot, first, cmd.args, final);
  }
  s.at(first);
  notAFunction(s, cmd.args, final);
  switch (first.type) {
    case 'bool':
      return first.value;
    case 'dot':
      return dot;
    case 'nil':
      s.errorf('nil is not a command');
      break;
    case 'number':
      return idealConstant(s, first);
    case 'string':
      return first.text;
  }
  s.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
}

/** The value of an untyped number literal: int unless written as a float. */
export function idealConstant(s: State, n: NumberNode): GoValue {
  s.at(n);
  if (n.isComplex) s.errorf(`complex constant ${n.text} is not supported`);
  const t = n.text;
  const hexInt = t.length > 2 && t[0] === '0' && (t[1] === 'x' || t[1] === 'X') && !/[pP]/.test(t);
  if (n.isFloat && !hexInt && t[0] !== "'" && /[.eEpP]/.test(t)) return n.float64;
  if (n.isInt) return n.int64;
  if (n.isUint) s.errorf(`${t} overflows int`);
  return undefined;
}

/** `.X.Y` on dot. */
export function evalFieldNode(s: State, dot: GoValue, field: FieldNode, args: Node[] | null, final: Final): GoValue {
  s.at(field);
  return evalFieldChain(s, dot, dot, s.dotIface, field, field.ident, args, final);
}

/** `(pipeline).X.Y` or `fn.X`. */
export function evalChainNode(s: State, dot: GoValue, chain: ChainNode, args: Node[] | null, final: Final): GoValue {
  s.at(chain);
  if (chain.field.length === 0) s.errorf('internal error: no fields in evalChainNode');
  if (chain.node.type === 'nil') s.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
  const pipe = evalRaw(s, dot, chain.node);
  return evalFieldChain(s, dot, pipe, false, chain, chain.field, args, final);
}

/** `$x` or `$x.Y.Z`. */
export function evalVariableNode(s: State, dot: GoValue, v: VariableNode, args: Node[] | null, final: Final): GoValue {
  s.at(v);
  const variable = s.variable(v.ident[0] as string);
  if (v.ident.length === 1) {
    if (args !== null) notAFunction(s, args, final);
    else if (final !== MISSING) notAFunction(s, [v], final);
    return variable.value;
  }
  return evalFieldChain(s, dot, variable.value, variable.iface, v, v.ident.slice(1), args, final);
}

// Evaluates a node without type conversion (evalArg with a nil type).
function evalRaw(s: State, dot: GoValue, n: Node): GoValue {
  s.at(n);
  switch (n.type) {
    case 'pipe':
      return evalPipeline(s, dot, n);
    case 'identifier':
      return evalFunction(s, dot, n.ident, n, n, null, MISSING);
    default:
      s.errorf(`can't handle ${nodeString(n)} for arg of type <nil>`);
  }
}

function evalFieldChain(
  s: State,
  dot: GoValue,
  receiver: GoValue,
  iface: boolean,
  node: Node,
  ident: string[],
  args: Node[] | null,
  final: Final,
): GoValue {
  const n = ident.length;
  for (let i = 0; i < n - 1; i++) {
    receiver = evalField(s, dot, ident[i] as string, node, null, MISSING, receiver, iface);
    iface = s.lastIface;
  }
  return evalField(s, dot, ident[n - 1] as string, node, args, final, receiver, iface);
}

/** Evaluates `.Field` on a receiver: map key, struct field or method call. */
export function evalField(
  s: State,
  dot: GoValue,
  fieldName: string,
  node: Node,
  args: Node[] | null,
  final: Final,
  receiver: GoValue,
  iface: boolean,
): GoValue {
  s.lastIface = false;
  if (receiver === undefined) {
    if (s.ctx.missingKey === 'error') s.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
    return undefined;
  }
  if (receiver === null) s.errorf(`nil pointer evaluating interface {}.${fieldName}`);
  const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
  if (isGoMap(receiver)) {
    const mapMethods = mapMethodsOf(receiver);
    if (mapMethods !== undefined && Object.hasOwn(mapMethods, fieldName)) {
      const method = mapMethods[fieldName] as GoFunc;
      return s.call(s, dot, { params: [], variadic: 'interface{}', call: method, builtin: false }, node, fieldName, args, final);
    }
    if (hasArgs) s.errorf(`${fieldName} is not a method but has arguments`);
    if (Object.hasOwn(receiver, fieldName)) {
      const v = receiver[fieldName];
      s.lastIface = elemType(receiver) === 'interface {}';
      return v === undefined ? null : v;
    }
    switch (s.ctx.missingKey) {
      case 'default':
        return undefined;
      case 'zero': {
        const t = elemType(receiver);
        s.lastIface = t === 'interface {}';
        return zeroOf(t);
      }
      case 'error':
        s.errorf(`map has no entry for key ${goQuote(fieldName)}`);
    }
  }
  const typ = iface ? 'interface {}' : typeName(receiver);
  if (Array.isArray(receiver)) {
    const methods = namedSliceTypeOf(receiver)?.methods;
    if (methods !== undefined && Object.hasOwn(methods, fieldName)) {
      const { params, variadic, call } = methods[fieldName] as SliceMethod;
      const bound = { params, variadic, call: (...a: GoValue[]) => call(receiver, ...a), builtin: false };
      return s.call(s, dot, bound, node, fieldName, args, final);
    }
  }
  if (receiver instanceof GoStruct) {
    const method = receiver.methods[fieldName];
    if (method !== undefined && Object.hasOwn(receiver.methods, fieldName)) {
      return s.call(s, dot, { params: [], variadic: 'interface{}', call: method, builtin: false }, node, fieldName, args, final);
    }
    if (Object.hasOwn(receiver.fields, fieldName)) {
      if (hasArgs) s.errorf(`${fieldName} has arguments but cannot be invoked as function`);
      const v = receiver.fields[fieldName];
      return v === undefined ? null : v;
    }
  }
  s.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
}

/** Looks up and calls a function by name (user FuncMap first, then builtins). */
export function evalFunction(
  s: State,
  dot: GoValue,
  name: string,
  ident: Node,
  cmd: Node,
  args: Node[] | null,
  final: Final,
): GoValue {
  s.at(ident);
  const fn = s.ctx.findFunction(name);
  if (fn === undefined) s.errorf(`${goQuote(name)} is not a defined function`);
  return s.call(s, dot, fn, cmd, name, args, final);
}
