/**
 * Executor of Go text/template (exec.go): walks a parse tree over GoValue data. `undefined` is Go's
 * invalid reflect.Value (missing key), `null` a nil interface; pipelines unwrap nil interfaces.
 */
import { limitEnvName, limits } from '../../core/limits.js';
import { formatFloatV } from './go-float.js';
import { elemType, isTrue, typeName } from './go-kinds.js';
import { compareGoStrings, goQuote, utf8Length } from './go-strconv.js';
import { goSprint, goSprintf } from './gofmt.js';
import { evalCall } from './exec-call.js';
import { evalPipeline } from './exec-eval.js';
import type { FuncEntry } from './builtins.js';
import type { BranchNode, ListNode, Node, TemplateNode } from './nodes.js';
import { nodeString } from './nodes.js';
import type { Tree } from './parser.js';
import { TemplateError } from './template-error.js';
import { GoNumber, GoStruct, isGoMap } from './values.js';
import type { GoMap, GoValue } from './values.js';

export type MissingKey = 'default' | 'zero' | 'error';

/** What the executor needs from a template set. */
export interface ExecContext {
  lookup(name: string): Tree | undefined;
  findFunction(name: string): FuncEntry | undefined;
  missingKey: MissingKey;
  /** Work done so far by every execution of the set (and its clones), checked against limits(). */
  budget: ExecBudget;
}

/** Counters of one render: steps walked and characters written. */
export interface ExecBudget {
  steps: number;
  output: number;
}

interface Variable {
  name: string;
  value: GoValue;
  /** The value's static Go type is interface{} (a range element), for error messages. */
  iface: boolean;
}

const MAX_EXEC_DEPTH = 100000;
const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
type WalkResult = typeof NORMAL | typeof BREAK | typeof CONTINUE;

/** Output sink shared by nested template invocations. */
export interface Output {
  s: string;
}

/** Execution state of one template (Go's `state`). */
export class State {
  node: Node | null = null;
  vars: Variable[];
  /** Static type of dot is interface{} (inside range over an untyped container). */
  dotIface = false;
  /** Set by evalField: the last result came out of an untyped container. */
  lastIface = false;
  /** Go's evalCall, reached through the state so exec-eval.ts and exec-call.ts do not import each other. */
  readonly call = evalCall;

  constructor(
    readonly ctx: ExecContext,
    readonly name: string,
    readonly out: Output,
    readonly depth: number,
    dot: GoValue,
  ) {
    this.vars = [{ name: '$', value: dot, iface: false }];
  }

  at(node: Node): void {
    this.node = node;
  }

  /** Throws Go's ExecError text: `template: LOC: executing "NAME" at <NODE>: MSG`. */
  errorf(msg: string): never {
    const n = this.node;
    if (n === null) throw new TemplateError('TEMPLATE_EXEC_ERROR', `template: ${this.name}: ${msg}`, { file: this.name });
    const text = n.tr.text;
    const lastNl = text.lastIndexOf('\n', n.pos - 1);
    const lineStart = lastNl < 0 ? 0 : lastNl + 1;
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < n.pos; i = text.indexOf('\n', i + 1)) line++;
    const col = utf8Length(text.slice(lineStart, n.pos));
    const location = `${n.tr.parseName}:${line}:${col}`;
    throw new TemplateError(
      'TEMPLATE_EXEC_ERROR',
      `template: ${location}: executing ${goQuote(this.name)} at <${nodeString(n)}>: ${msg}`,
      { file: n.tr.parseName, line, column: col + 1 },
    );
  }

  push(name: string, value: GoValue, iface: boolean): void {
    this.vars.push({ name, value, iface });
  }

  setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) {
        v.value = value;
        v.iface = false;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  variable(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) return v;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  /** Appends to the output within the render's output budget. */
  emit(text: string): void {
    const budget = this.ctx.budget;
    budget.output += text.length;
    if (budget.output > limits().templateOutput) {
      this.errorf(`csp budget: the render wrote over ${limits().templateOutput} characters (${limitEnvName('templateOutput')})`);
    }
    this.out.s += text;
  }

  walk(dot: GoValue, node: Node): WalkResult {
    this.node = node;
    if (++this.ctx.budget.steps > limits().templateSteps) {
      this.errorf(`csp budget: the render took over ${limits().templateSteps} steps (${limitEnvName('templateSteps')})`);
    }
    switch (node.type) {
      case 'action': {
        const val = evalPipeline(this, dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return NORMAL;
      }
      case 'text':
        this.emit(node.text);
        return NORMAL;
      case 'list':
        return this.walkList(dot, node);
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        this.walkTemplate(dot, node);
        return NORMAL;
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
      case 'comment':
        return NORMAL;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkList(dot: GoValue, list: ListNode): WalkResult {
    const nodes = list.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as Node;
      let r: WalkResult;
      if (n.type === 'text') {
        this.emit(n.text);
        continue;
      } else r = this.walk(dot, n);
      if (r !== NORMAL) return r;
    }
    return NORMAL;
  }

  private walkIfOrWith(dot: GoValue, node: BranchNode): WalkResult {
    const mark = this.vars.length;
    try {
      const val = evalPipeline(this, dot, node.pipe);
      if (typeof val === 'function') this.errorf(`if/with can't use ${goSprint(val)}`);
      if (isTrue(val)) {
        if (node.type === 'with') {
          const saved = this.dotIface;
          this.dotIface = false;
          try {
            return this.walk(val, node.list);
          } finally {
            this.dotIface = saved;
          }
        }
        return this.walk(dot, node.list);
      }
      if (node.elseList !== null) return this.walk(dot, node.elseList);
      return NORMAL;
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: GoValue, r: BranchNode): WalkResult {
    this.at(r);
    const mark0 = this.vars.length;
    try {
      let val = evalPipeline(this, dot, r.pipe);
      const mark = this.vars.length;
      const decls = r.pipe.decl.length;
      let iterated = false;
      const one = (key: GoValue, elem: GoValue, iface: boolean): boolean => {
        if (decls > 0) {
          const v = this.vars[this.vars.length - 1] as Variable;
          v.value = elem;
          v.iface = iface;
        }
        if (decls > 1) {
          const v = this.vars[this.vars.length - 2] as Variable;
          v.value = key;
          v.iface = false;
        }
        const saved = this.dotIface;
        this.dotIface = iface;
        let res: WalkResult;
        try {
          res = this.walk(elem, r.list);
        } finally {
          this.dotIface = saved;
          this.vars.length = mark;
        }
        return res === BREAK;
      };
      if (val instanceof GoStruct && val.mapView) val = val.mapView;
      if (val instanceof GoStruct && val.typeName.startsWith('*')) val = new GoStruct(val.typeName.slice(1), val.fields, val.methods, val.format);
      if (Array.isArray(val)) {
        const iface = isIfaceElems(val);
        for (let i = 0; i < val.length; i++) {
          iterated = true;
          if (one(BigInt(i), val[i] ?? null, iface)) break;
        }
      } else if (val instanceof Uint8Array) {
        for (let i = 0; i < val.length; i++) {
          iterated = true;
          if (one(BigInt(i), goUint8(val[i] ?? 0), false)) break;
        }
      } else if (isGoMap(val)) {
        const keys = sortedKeys(val);
        const iface = isIfaceElems(val);
        for (const k of keys) {
          iterated = true;
          if (one(k, val[k] ?? null, iface)) break;
        }
      } else if (val !== undefined && val !== null) {
        this.errorf(`range can't iterate over ${goSprintf('%v', val)}`);
      }
      if (!iterated && r.elseList !== null) return this.walk(dot, r.elseList);
      return NORMAL;
    } finally {
      this.vars.length = mark0;
    }
  }

  private walkTemplate(dot: GoValue, t: TemplateNode): void {
    this.at(t);
    const tree = this.ctx.lookup(t.name);
    if (tree === undefined) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = t.pipe === null ? undefined : evalPipeline(this, dot, t.pipe);
    const inner = new State(this.ctx, t.name, this.out, this.depth + 1, newDot);
    try {
      inner.walk(newDot, tree.root);
    } catch (e) {
      // JS runs out of stack long before Go's depth limit; report it as Go would, at this call.
      if (e instanceof RangeError && e.message.includes('call stack')) {
        this.at(t);
        this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
      }
      throw e;
    }
  }

  /** Prints an action's value like Go's printValue (missing value prints `<no value>`). */
  printValue(node: Node, v: GoValue): void {
    this.at(node);
    switch (typeof v) {
      case 'string':
        this.emit(v);
        return;
      case 'number':
        this.emit(formatFloatV(v));
        return;
      case 'bigint':
        this.emit(v.toString());
        return;
      case 'boolean':
        this.emit(v ? 'true' : 'false');
        return;
      case 'undefined':
        this.emit('<no value>');
        return;
      case 'function':
        this.errorf(`can't print ${nodeString(node)} of type ${typeName(v)}`);
    }
    if (v === null) {
      this.emit('<no value>');
      return;
    }
    if (v instanceof GoStruct && v.typeName.startsWith('*')) v = new GoStruct(v.typeName.slice(1), v.fields, v.methods, v.format);
    this.emit(goSprint(v));
  }
}

/** Elements of an untyped slice or map are interface{} values. */
function isIfaceElems(v: GoValue[] | GoMap): boolean {
  return elemType(v) === 'interface {}';
}

function goUint8(b: number): GoValue {
  return new GoNumber('uint8', BigInt(b));
}

function sortedKeys(m: GoMap): string[] {
  const keys = Object.keys(m);
  return keys.length < 2 ? keys : keys.sort(compareGoStrings);
}
