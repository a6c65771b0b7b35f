/**
 * Sprig regex functions (regex.go) over Go RE2 semantics: plain variants panic like MustCompile
 * (`regexMatch` swallows errors), `must*` variants return Go's compile error.
 */
import type { FuncMap, GoValue } from '../template/values.js';
import { argInt, argStr, fn } from './define.js';
import { typedSlice } from './go-types.js';
import { findAll, matchString, mustCompileMessage, quoteMeta, replaceAll, split } from './go-regexp.js';
import { compileGoRegexp } from './go-regexp-syntax.js';
import type { GoRegexp } from './go-regexp-syntax.js';

function mustCompile(expr: GoValue): GoRegexp {
  const source = argStr(expr);
  try {
    return compileGoRegexp(source);
  } catch (e) {
    throw new Error(mustCompileMessage(source, e as Error));
  }
}

function compile(expr: GoValue): GoRegexp {
  return compileGoRegexp(argStr(expr));
}

function strings(list: string[]): string[] {
  return typedSlice(list, 'string');
}

/** Regex family of Sprig's function map. */
export function regexFuncs(): FuncMap {
  type Compiler = (expr: GoValue) => GoRegexp;
  const variants = (c: Compiler): FuncMap => ({
    FindAll: fn(['string', 'string', 'int'], (r, s, n) => {
      const str = argStr(s);
      return strings(findAll(c(r), str, argInt(n)).map(([a = 0, b = 0]) => str.slice(a, b)));
    }),
    Find: fn(['string', 'string'], (r, s) => {
      const str = argStr(s);
      const m = findAll(c(r), str, 1)[0];
      return m ? str.slice(m[0], m[1]) : '';
    }),
    ReplaceAll: fn(['string', 'string', 'string'], (r, s, repl) => replaceAll(c(r), argStr(s), argStr(repl), false)),
    ReplaceAllLiteral: fn(['string', 'string', 'string'], (r, s, repl) =>
      replaceAll(c(r), argStr(s), argStr(repl), true),
    ),
    Split: fn(['string', 'string', 'int'], (r, s, n) => strings(split(c(r), argStr(s), argInt(n)))),
  });
  const plain = variants(mustCompile);
  const must = variants(compile);
  const out: FuncMap = {
    regexMatch: fn(['string', 'string'], (r, s) => {
      try {
        return matchString(compile(r), argStr(s));
      } catch {
        return false;
      }
    }),
    mustRegexMatch: fn(['string', 'string'], (r, s) => matchString(compile(r), argStr(s))),
    regexQuoteMeta: fn(['string'], (s) => quoteMeta(argStr(s))),
  };
  for (const [suffix, f] of Object.entries(plain)) out[`regex${suffix}`] = f;
  for (const [suffix, f] of Object.entries(must)) out[`mustRegex${suffix}`] = f;
  return out;
}
