/**
 * Function and method calls of text/template (exec.go evalCall, evalArg, validateType): argument
 * counts, literal conversion by declared Go type, reflect-style assignability, and/or short-circuit.
 */
import type { FuncEntry, ParamType } from './builtins.js';
import { MISSING, evalChainNode, evalFieldNode, evalFunction, evalPipeline, evalVariableNode, idealConstant } from './exec-eval.js';
import type { Final } from './exec-eval.js';
import type { State } from './exec.js';
import { elemType, isTrue, typeName } from './go-kinds.js';
import type { Node, NumberNode } from './nodes.js';
import { nodeString } from './nodes.js';
import { GoNumber, GoStruct, isGoMap } from './values.js';
import type { GoValue } from './values.js';

const GO_NAMES: Record<ParamType, string> = {
  'interface{}': 'interface {}',
  string: 'string',
  bool: 'bool',
  int: 'int',
  int64: 'int64',
  uint32: 'uint32',
  float64: 'float64',
  '[]interface{}': '[]interface {}',
  '[]string': '[]string',
  'map[string]interface{}': 'map[string]interface {}',
  '[]byte': '[]uint8',
  'time.Time': 'time.Time',
  'reflect.Value': 'reflect.Value',
};

function canBeNil(t: ParamType): boolean {
  switch (t) {
    case 'interface{}':
    case '[]interface{}':
    case '[]string':
    case 'map[string]interface{}':
    case '[]byte':
    case 'reflect.Value':
      return true;
    default:
      return false;
  }
}

function assignable(v: GoValue, t: ParamType): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'int':
      return typeof v === 'bigint';
    case 'float64':
      return typeof v === 'number';
    case 'int64':
    case 'uint32':
      return v instanceof GoNumber && v.kind === t;
    case '[]interface{}':
      return Array.isArray(v) && elemType(v) === 'interface {}';
    case '[]string':
      return Array.isArray(v) && elemType(v) === 'string';
    case 'map[string]interface{}':
      return isGoMap(v) && elemType(v) === 'interface {}';
    case '[]byte':
      return v instanceof Uint8Array;
    case 'time.Time':
      return v instanceof GoStruct && v.typeName === 'time.Time';
    default:
      return true;
  }
}

/** Checks a computed value against a parameter type (Go's validateType); returns the value to pass. */
export function validateType(s: State, value: GoValue, t: ParamType): GoValue {
  if (value === undefined) {
    if (t === 'reflect.Value') return undefined;
    if (canBeNil(t)) return null;
    s.errorf(`invalid value; expected ${GO_NAMES[t]}`);
  }
  if (t === 'interface{}' || t === 'reflect.Value') return value;
  if (value === null) s.errorf(`wrong type for value; expected ${GO_NAMES[t]}; got interface {}`);
  if (!assignable(value, t)) s.errorf(`wrong type for value; expected ${GO_NAMES[t]}; got ${typeName(value)}`);
  return value;
}

function numberArg(s: State, t: ParamType, n: Node): GoValue {
  const num = n.type === 'number' ? (n as NumberNode) : undefined;
  switch (t) {
    case 'float64':
      if (num?.isFloat) return num.float64;
      s.errorf(`expected float; found ${nodeString(n)}`);
      break;
    case 'int':
      if (num?.isInt) return num.int64;
      s.errorf(`expected integer; found ${nodeString(n)}`);
      break;
    case 'int64':
      if (num?.isInt) return new GoNumber('int64', num.int64);
      s.errorf(`expected integer; found ${nodeString(n)}`);
      break;
    case 'uint32':
      if (num?.isUint) return new GoNumber('uint32', BigInt.asUintN(32, num.uint64));
      s.errorf(`expected unsigned integer; found ${nodeString(n)}`);
  }
  return undefined;
}

/** Evaluates one argument node for a parameter of type t (Go's evalArg). */
export function evalArg(s: State, dot: GoValue, t: ParamType, n: Node): GoValue {
  s.at(n);
  switch (n.type) {
    case 'dot':
      return validateType(s, dot, t);
    case 'nil':
      if (t === 'reflect.Value') return undefined;
      if (canBeNil(t)) return null;
      s.errorf(`cannot assign nil to ${GO_NAMES[t]}`);
      break;
    case 'field':
      return validateType(s, evalFieldNode(s, dot, n, [n], MISSING), t);
    case 'variable':
      return validateType(s, evalVariableNode(s, dot, n, null, MISSING), t);
    case 'pipe':
      return validateType(s, evalPipeline(s, dot, n), t);
    case 'identifier':
      return validateType(s, evalFunction(s, dot, n.ident, n, n, null, MISSING), t);
    case 'chain':
      return validateType(s, evalChainNode(s, dot, n, null, MISSING), t);
  }
  switch (t) {
    case 'bool':
      if (n.type === 'bool') return n.value;
      s.errorf(`expected bool; found ${nodeString(n)}`);
      break;
    case 'float64':
    case 'int':
    case 'int64':
    case 'uint32':
      return numberArg(s, t, n);
    case 'interface{}':
    case 'reflect.Value':
      switch (n.type) {
        case 'bool':
          return n.value;
        case 'number':
          return idealConstant(s, n);
        case 'string':
          return n.text;
      }
      s.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
      break;
    case 'string':
      if (n.type === 'string') return n.text;
      s.errorf(`expected string; found ${nodeString(n)}`);
  }
  s.errorf(`can't handle ${nodeString(n)} for arg of type ${GO_NAMES[t]}`);
}

/** Calls a function or method with evaluated arguments; errors become `error calling NAME: MSG`. */
export function evalCall(
  s: State,
  dot: GoValue,
  fn: FuncEntry,
  node: Node,
  name: string,
  argNodes: Node[] | null,
  final: Final,
): GoValue {
  const args = argNodes === null ? [] : argNodes.slice(1);
  const params = fn.params;
  const variadic = fn.variadic;
  let numIn = args.length;
  if (final !== MISSING) numIn++;
  let numFixed = args.length;
  if (variadic !== undefined) {
    numFixed = params.length;
    if (numIn < numFixed) s.errorf(`wrong number of args for ${name}: want at least ${params.length} got ${args.length}`);
  } else if (numIn !== params.length) s.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);

  if (fn.builtin && (name === 'and' || name === 'or')) {
    let v: GoValue = undefined;
    for (const arg of args) {
      v = evalArg(s, dot, 'reflect.Value', arg);
      if (isTrue(v) === (name === 'or')) return v;
    }
    if (final !== MISSING) v = final;
    return v;
  }

  const argv: GoValue[] = new Array<GoValue>(numIn);
  let i = 0;
  for (; i < numFixed && i < args.length; i++) argv[i] = evalArg(s, dot, params[i] as ParamType, args[i] as Node);
  if (variadic !== undefined) for (; i < args.length; i++) argv[i] = evalArg(s, dot, variadic, args[i] as Node);
  if (final !== MISSING) {
    let t: ParamType;
    if (variadic !== undefined) t = numIn - 1 < numFixed ? (params[numIn - 1] as ParamType) : variadic;
    else t = params[params.length - 1] as ParamType;
    argv[i] = validateType(s, final, t);
  }
  let result: GoValue;
  try {
    result = fn.call(...argv);
  } catch (e) {
    if (e instanceof RangeError && e.message.includes('call stack')) throw e;
    s.at(node);
    const msg = e instanceof Error ? e.message : String(e);
    s.errorf(`error calling ${name}: ${msg}`);
  }
  return result === undefined ? null : result;
}
