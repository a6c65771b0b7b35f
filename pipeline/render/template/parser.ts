/**
 * Parser of Go 1.19 text/template (parse/parse.go): three-token lookahead, variable scoping, control
 * structures, `define`/`block`, and Go's parse-error texts (`template: NAME:LINE: …`).
 */
import { createLexer } from './lex-states.js';
import type { Lexer } from './lexer.js';
import type { Item, ItemType } from './lexer.js';
import { TokenReader } from './parse-tokens.js';
import { goQuote, goUnquote, unquoteChar } from './go-strconv.js';
import { parseNumberLiteral } from './go-number.js';
import type { BranchNode, CommandNode, ListNode, Node, NumberNode, PipeNode, VariableNode } from './nodes.js';
import { nodeString } from './nodes.js';

/** A parsed template: Go's parse.Tree. `root` is null for a tree that was never parsed. */
export interface Tree {
  name: string;
  parseName: string;
  root: ListNode;
  text: string;
}


/** Parsing options: delimiters and the function-name check. */
export interface ParseOptions {
  leftDelim: string;
  rightDelim: string;
  hasFunction: (name: string) => boolean;
}

/** True when a tree holds nothing but whitespace text and comments (parse.IsEmptyTree). */
export function isEmptyTree(n: Node | null): boolean {
  if (n === null) return true;
  switch (n.type) {
    case 'comment':
      return true;
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return n.text.trim().length === 0;
    default:
      return false;
  }
}

class TreeParser extends TokenReader {
  name: string;
  root!: ListNode;
  private vars: string[] = ['$'];
  private rangeDepth = 0;

  constructor(
    name: string,
    parseName: string,
    private readonly text: string,
    lex: Lexer,
    private readonly treeSet: Map<string, Tree>,
    private readonly opts: ParseOptions,
  ) {
    super(lex, { parseName, text });
    this.name = name;
  }

  private list(pos: number): ListNode {
    return { type: 'list', pos, tr: this.src, nodes: [] };
  }

  // --- grammar ---
  parse(): void {
    this.root = this.list(this.peek().pos);
    while (this.peek().typ !== 'EOF') {
      if (this.peek().typ === 'leftDelim') {
        const delim = this.next();
        if (this.nextNonSpace().typ === 'define') {
          const sub = new TreeParser('definition', this.src.parseName, this.text, this.lex, this.treeSet, this.opts);
          sub.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
  }

  add(): void {
    const existing = this.treeSet.get(this.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.treeSet.set(this.name, this.toTree());
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  toTree(): Tree {
    return { name: this.name, parseName: this.src.parseName, root: this.root, text: this.text };
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.expectOneOf('string', 'rawString', context);
    this.name = this.unquote(nameTok.val);
    this.expect('rightDelim', context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private unquote(s: string): string {
    try {
      return goUnquote(s);
    } catch {
      this.errorf('invalid syntax');
    }
  }

  private itemList(): [ListNode, Node] {
    const list = this.list(this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== 'EOF') {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case 'text':
        return { type: 'text', pos: t.pos, tr: this.src, text: t.val };
      case 'leftDelim': {
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case 'comment':
        return { type: 'comment', pos: t.pos, tr: this.src, text: t.val };
      default:
        this.unexpected(t, 'input');
    }
  }

  private action(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case 'block':
        return this.blockControl();
      case 'break':
        return this.breakControl(t, 'break');
      case 'continue':
        return this.breakControl(t, 'continue');
      case 'else':
        return this.elseControl();
      case 'end':
        return { type: 'end', pos: this.expect('rightDelim', 'end').pos, tr: this.src };
      case 'if':
        return this.control('if', true);
      case 'range':
        return this.control('range', false);
      case 'template':
        return this.templateControl();
      case 'with':
        return this.control('with', false);
    }
    this.backup();
    const tok = this.peek();
    return { type: 'action', pos: tok.pos, tr: this.src, line: tok.line, pipe: this.pipeline('command', 'rightDelim') };
  }

  private breakControl(t: Item, kind: 'break' | 'continue'): Node {
    const next = this.nextNonSpace();
    if (next.typ !== 'rightDelim') this.unexpected(next, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos: t.pos, tr: this.src, line: t.line };
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const tok = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: tok.pos, tr: this.src, line: tok.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ === 'variable') {
        this.next();
        const tokenAfterVariable = this.peek();
        const next = this.peekNonSpace();
        if (next.typ === 'assign' || next.typ === 'declare') {
          pipe.isAssign = next.typ === 'assign';
          this.nextNonSpace();
          pipe.decl.push(this.variable(v.pos, v.val));
          this.vars.push(v.val);
        } else if (next.typ === 'char' && next.val === ',') {
          this.nextNonSpace();
          pipe.decl.push(this.variable(v.pos, v.val));
          this.vars.push(v.val);
          if (context === 'range' && pipe.decl.length < 2) {
            const p = this.peekNonSpace().typ;
            if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue decls;
            this.errorf('range can only initialize variables');
          }
          this.errorf(`too many declarations in ${context}`);
        } else if (tokenAfterVariable.typ === 'space') this.backup3(v, tokenAfterVariable);
        else this.backup2(v);
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const first = pipe.cmds[i]?.args[0];
      switch (first?.type) {
        case 'bool':
        case 'dot':
        case 'nil':
        case 'number':
        case 'string':
          this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private control(kind: 'if' | 'range' | 'with', allowElseIf: boolean): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(kind, 'rightDelim');
      if (kind === 'range') this.rangeDepth++;
      const [list, first] = this.itemList();
      let next = first;
      if (kind === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === 'else') {
        if (allowElseIf && this.peek().typ === 'if') {
          this.next();
          elseList = this.list(next.pos);
          elseList.nodes.push(this.control('if', true));
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type: kind, pos: pipe.pos, tr: this.src, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    if (peek.typ === 'if') return { type: 'else', pos: peek.pos, tr: this.src, line: peek.line };
    const t = this.expect('rightDelim', 'else');
    return { type: 'else', pos: t.pos, tr: this.src, line: t.line };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const block = new TreeParser(name, this.src.parseName, this.text, this.lex, this.treeSet, this.opts);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return { type: 'template', pos: t.pos, tr: this.src, line: t.line, name, pipe };
  }

  private templateControl(): Node {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: t.pos, tr: this.src, line: t.line, name, pipe };
  }

  private parseTemplateName(t: Item, context: string): string {
    if (t.typ === 'string' || t.typ === 'rawString') return this.unquote(t.val);
    this.unexpected(t, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, tr: this.src, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === 'space') continue;
      if (t.typ === 'rightDelim' || t.typ === 'rightParen') this.backup();
      else if (t.typ !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | null {
    let node = this.term();
    if (node === null) return null;
    if (this.peek().typ === 'field') {
      const pos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === 'field') fields.push(this.next().val.slice(1));
      switch (node.type) {
        case 'field':
          node = { type: 'field', pos, tr: this.src, ident: [...node.ident, ...fields] };
          break;
        case 'variable':
          node = { type: 'variable', pos, tr: this.src, ident: [...node.ident, ...fields] };
          break;
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
          break;
        default:
          node = { type: 'chain', pos, tr: this.src, node, field: fields };
      }
    }
    return node;
  }

  private term(): Node | null {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case 'identifier':
        if (!this.opts.hasFunction(t.val)) this.errorf(`function ${goQuote(t.val)} not defined`);
        return { type: 'identifier', pos: t.pos, tr: this.src, ident: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos, tr: this.src };
      case 'nil':
        return { type: 'nil', pos: t.pos, tr: this.src };
      case 'variable':
        return this.useVar(t.pos, t.val);
      case 'field':
        return { type: 'field', pos: t.pos, tr: this.src, ident: t.val.slice(1).split('.') };
      case 'bool':
        return { type: 'bool', pos: t.pos, tr: this.src, value: t.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        return this.number(t);
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { type: 'string', pos: t.pos, tr: this.src, quoted: t.val, text: this.unquote(t.val) };
    }
    this.backup();
    return null;
  }

  private number(t: Item): NumberNode {
    const base = { type: 'number' as const, pos: t.pos, tr: this.src, text: t.val };
    if (t.typ === 'charConstant') {
      let r;
      try {
        r = unquoteChar(t.val.slice(1), t.val[0] ?? "'");
      } catch {
        this.errorf('invalid syntax');
      }
      if (r.tail !== "'") this.errorf(`malformed character constant: ${t.val}`);
      const v = BigInt(r.value);
      return { ...base, isInt: true, isUint: true, isFloat: true, isComplex: false, int64: v, uint64: v, float64: r.value };
    }
    if (t.typ === 'complex') this.errorf(`complex constants are not supported: ${t.val}`);
    try {
      return { ...base, ...parseNumberLiteral(t.val, goQuote) };
    } catch (e) {
      this.errorf((e as Error).message);
    }
  }

  private variable(pos: number, name: string): VariableNode {
    return { type: 'variable', pos, tr: this.src, ident: name.split('.') };
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.variable(pos, name);
    if (!this.vars.includes(v.ident[0] as string)) this.errorf(`undefined variable ${goQuote(v.ident[0] as string)}`);
    return v;
  }
}

/**
 * Parses `text` as template `name` (Go's parse.Parse): returns every tree it defines, keyed by name
 * (the top-level one under `name`). Throws TemplateError (TEMPLATE_PARSE_ERROR) with Go's message.
 */
export function parseTemplate(name: string, text: string, opts: ParseOptions): Map<string, Tree> {
  const treeSet = new Map<string, Tree>();
  const lex = createLexer(text, opts.leftDelim || '{{', opts.rightDelim || '}}', !opts.hasFunction('break'), !opts.hasFunction('continue'));
  const t = new TreeParser(name, name, text, lex, treeSet, opts);
  t.parse();
  t.add();
  return treeSet;
}
