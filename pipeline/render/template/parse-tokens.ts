/**
 * Token plumbing of Go's parse.Tree: three-token lookahead with backup, and the error helpers. Kept
 * identical to parse.go because Go reports the line of the most recently lexed token (token[0]).
 */
import { goQuote } from './go-strconv.js';
import { isKeyword } from './lexer.js';
import type { Item, ItemType, Lexer } from './lexer.js';
import type { TreeSource } from './nodes.js';
import { TemplateError } from './template-error.js';

/** Go's item.String(): how a token appears in parse errors. */
export function itemString(i: Item): string {
  if (i.typ === 'EOF') return 'EOF';
  if (i.typ === 'error') return i.val;
  if (isKeyword(i.typ)) return `<${i.val}>`;
  const runes = [...i.val];
  if (runes.length > 10) return `${goQuote(runes.slice(0, 10).join(''))}...`;
  return goQuote(i.val);
}

/** Base of the parser: token buffer, lookahead and Go-formatted parse errors. */
export class TokenReader {
  protected token: Item[] = [];
  protected peekCount = 0;
  protected actionLine = 0;

  constructor(
    protected readonly lex: Lexer,
    readonly src: TreeSource,
  ) {}

  protected next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount] as Item;
  }
  protected backup(): void {
    this.peekCount++;
  }
  protected backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  protected backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  protected peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1] as Item;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }
  protected nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.typ === 'space');
    return t;
  }
  protected peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  errorf(msg: string): never {
    const line = this.token[0]?.line ?? 1;
    throw new TemplateError('TEMPLATE_PARSE_ERROR', `template: ${this.src.parseName}:${line}: ${msg}`, { file: this.src.parseName, line });
  }
  protected expect(expected: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }
  protected expectOneOf(e1: ItemType, e2: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== e1 && t.typ !== e2) this.unexpected(t, context);
    return t;
  }
  protected unexpected(t: Item, context: string): never {
    if (t.typ === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.src.parseName}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(t)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(t)} in ${context}`);
  }
}
