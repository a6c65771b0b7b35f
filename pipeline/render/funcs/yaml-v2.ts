/**
 * A port of gopkg.in/yaml.v2's emitter (emitterc.go) for block-style output: yaml.v2 indentation (sequences
 * not indented under keys), scalar style selection, plain/quoted folding at 80 columns, literal blocks,
 * and keyList natural key order (sorter.go). Input is a YamlNode tree built by the encoders.
 */
import { canUsePlain } from './yaml-resolve.js';
import { analyze, isBreak, isPrintable } from './yaml-v2-analyze.js';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

export type YamlNode =
  | { kind: 'scalar'; value: string; style: ScalarStyle }
  | { kind: 'seq'; items: YamlNode[] }
  | { kind: 'map'; entries: [YamlNode, YamlNode][] };

/** yaml.v2 encoder.stringv: literal for multi-line, plain when unambiguous, otherwise double-quoted. */
export function stringNode(s: string): YamlNode {
  const style: ScalarStyle = s.includes('\n') ? 'literal' : canUsePlain(s) ? 'plain' : 'double';
  return { kind: 'scalar', value: s, style };
}

/** A plain scalar (numbers, bools, null). */
export function plainNode(s: string): YamlNode {
  return { kind: 'scalar', value: s, style: 'plain' };
}

interface Ctx {
  root: boolean;
  sequence: boolean;
  mapping: boolean;
  simpleKey: boolean;
}

/**
 * Emits one YAML document the way yaml.v2 Marshal does (including the final newline); `indentSequences`
 * gives yaml.v3's layout (sequences indented under their key).
 */
export function emitYamlV2(node: YamlNode, options: { indentSequences?: boolean } = {}): string {
  const bestIndent = 2;
  const bestWidth = 80;
  let out = '';
  let column = 0;
  let whitespace = true;
  let indention = true;
  let indent = -1;
  const indents: number[] = [];
  let flowLevel = 0;
  let mappingContext = false;

  const put = (s: string): void => {
    out += s;
    column++;
  };
  const putBreak = (): void => {
    out += '\n';
    column = 0;
  };
  const writeIndent = (): void => {
    const ind = Math.max(indent, 0);
    if (!indention || column > ind || (column === ind && !whitespace)) putBreak();
    while (column < ind) put(' ');
    whitespace = true;
    indention = true;
  };
  const writeIndicator = (ind: string, needWs: boolean, isWs: boolean, isIndention: boolean): void => {
    if (needWs && !whitespace) put(' ');
    for (const c of ind) put(c);
    whitespace = isWs;
    indention = indention && isIndention;
  };
  const increaseIndent = (flow: boolean, indentless: boolean): void => {
    indents.push(indent);
    if (indent < 0) indent = flow ? bestIndent : 0;
    else if (!indentless) indent += bestIndent;
  };
  const popIndent = (): void => {
    indent = indents.pop() ?? -1;
  };
  const writeBreakChar = (c: string): void => {
    if (c === '\n') putBreak();
    else {
      out += c;
      column = 0;
    }
  };

  const writePlain = (chars: string[], allowBreaks: boolean): void => {
    if (!whitespace) put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] ?? '';
      if (c === ' ') {
        if (allowBreaks && !spaces && column > bestWidth && chars[i + 1] !== ' ') writeIndent();
        else put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') putBreak();
        writeBreakChar(c);
        indention = true;
        breaks = true;
      } else {
        if (breaks) writeIndent();
        put(c);
        indention = false;
        spaces = false;
        breaks = false;
      }
    }
    whitespace = false;
    indention = false;
  };

  const writeSingle = (chars: string[], allowBreaks: boolean): void => {
    writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] ?? '';
      if (c === ' ') {
        if (allowBreaks && !spaces && column > bestWidth && i > 0 && i < chars.length - 1 && chars[i + 1] !== ' ') {
          writeIndent();
        } else put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') putBreak();
        writeBreakChar(c);
        indention = true;
        breaks = true;
      } else {
        if (breaks) writeIndent();
        if (c === "'") put("'");
        put(c);
        indention = false;
        spaces = false;
        breaks = false;
      }
    }
    writeIndicator("'", false, false, false);
    whitespace = false;
    indention = false;
  };

  const writeDouble = (chars: string[], allowBreaks: boolean): void => {
    let spaces = false;
    writeIndicator('"', true, false, false);
    const bom = chars[0] === '\ufeff';
    const named: Record<number, string> = {
      0: '0', 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 0x1b: 'e', 0x22: '"', 0x5c: '\\',
      0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
    };
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] ?? '';
      const cp = c.codePointAt(0) ?? 0;
      if (!isPrintable(c) || bom || isBreak(c) || c === '"' || c === '\\') {
        put('\\');
        const n = named[cp];
        if (n !== undefined) put(n);
        else {
          const [prefix, width] = cp <= 0xff ? ['x', 2] : cp <= 0xffff ? ['u', 4] : ['U', 8];
          put(prefix);
          for (const d of cp.toString(16).toUpperCase().padStart(width, '0')) put(d);
        }
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && column > bestWidth && i > 0 && i < chars.length - 1) {
          writeIndent();
          if (chars[i + 1] === ' ') put('\\');
        } else put(c);
        spaces = true;
      } else {
        put(c);
        spaces = false;
      }
    }
    writeIndicator('"', false, false, false);
    whitespace = false;
    indention = false;
  };

  const writeLiteral = (chars: string[]): void => {
    writeIndicator('|', true, false, false);
    if (chars[0] === ' ' || isBreak(chars[0] ?? '')) writeIndicator(String(bestIndent), false, false, false);
    let chomp = '';
    const last = chars[chars.length - 1] ?? '';
    if (chars.length === 0 || !isBreak(last)) chomp = '-';
    else if (chars.length === 1) chomp = '+';
    else if (isBreak(chars[chars.length - 2] ?? '')) chomp = '+';
    if (chomp) writeIndicator(chomp, false, false, false);
    putBreak();
    indention = true;
    whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        writeBreakChar(c);
        indention = true;
        breaks = true;
      } else {
        if (breaks) writeIndent();
        put(c);
        indention = false;
        breaks = false;
      }
    }
  };

  const emitScalar = (n: Extract<YamlNode, { kind: 'scalar' }>, ctx: Ctx): void => {
    const chars = [...n.value];
    const a = analyze(chars);
    let style = n.style;
    if (ctx.simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if ((flowLevel > 0 && !a.flowPlain) || (flowLevel === 0 && !a.blockPlain)) style = 'single';
      if (chars.length === 0 && (flowLevel > 0 || ctx.simpleKey)) style = 'single';
    }
    if (style === 'single' && !a.singleQuoted) style = 'double';
    if (style === 'literal' && (!a.block || flowLevel > 0 || ctx.simpleKey)) style = 'double';
    increaseIndent(true, false);
    if (style === 'plain') writePlain(chars, !ctx.simpleKey);
    else if (style === 'single') writeSingle(chars, !ctx.simpleKey);
    else if (style === 'double') writeDouble(chars, !ctx.simpleKey);
    else writeLiteral(chars);
    popIndent();
  };

  const isSimpleKey = (k: YamlNode): boolean => {
    if (k.kind === 'seq') return k.items.length === 0;
    if (k.kind === 'map') return k.entries.length === 0;
    return !analyze([...k.value]).multiline && Buffer.byteLength(k.value) <= 128;
  };

  const emitNode = (n: YamlNode, ctx: Ctx): void => {
    mappingContext = ctx.mapping;
    if (n.kind === 'scalar') return emitScalar(n, ctx);
    const empty = n.kind === 'seq' ? n.items.length === 0 : n.entries.length === 0;
    if (flowLevel > 0 || empty) {
      const [open, close] = n.kind === 'seq' ? ['[', ']'] : ['{', '}'];
      writeIndicator(open, true, true, false);
      increaseIndent(true, false);
      flowLevel++;
      flowLevel--;
      popIndent();
      writeIndicator(close, false, false, false);
      return;
    }
    if (n.kind === 'seq') {
      increaseIndent(false, !options.indentSequences && mappingContext && !indention);
      for (const item of n.items) {
        writeIndent();
        writeIndicator('-', true, false, true);
        emitNode(item, { root: false, sequence: true, mapping: false, simpleKey: false });
      }
      popIndent();
      return;
    }
    increaseIndent(false, false);
    for (const [k, v] of n.entries) {
      writeIndent();
      if (isSimpleKey(k)) {
        emitNode(k, { root: false, sequence: false, mapping: true, simpleKey: true });
        writeIndicator(':', false, false, false);
      } else {
        writeIndicator('?', true, false, true);
        emitNode(k, { root: false, sequence: false, mapping: true, simpleKey: false });
        writeIndent();
        writeIndicator(':', true, false, true);
      }
      emitNode(v, { root: false, sequence: false, mapping: true, simpleKey: false });
    }
    popIndent();
  };

  emitNode(node, { root: true, sequence: false, mapping: false, simpleKey: false });
  writeIndent();
  return out;
}
