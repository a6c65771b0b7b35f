/**
 * text/template's html, js and urlquery builtins (funcs.go HTMLEscaper, JSEscaper, URLQueryEscaper):
 * arguments are printed like fmt.Sprint (a nil prints `<no value>`), then escaped.
 */
import { isPrint, utf8Bytes } from './go-strconv.js';
import { goSprint } from './gofmt.js';
import type { GoValue } from './values.js';

// evalArgs: a single string is used as is; otherwise nil arguments print as <no value>.
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return goSprint(...args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

/** HTMLEscapeString of the printed arguments. */
export function htmlEscaper(...args: GoValue[]): string {
  const s = evalArgs(args);
  if (!/['"&<>\0]/.test(s)) return s;
  return s.replace(/['"&<>\0]/g, (c) => {
    switch (c) {
      case '"':
        return '&#34;';
      case "'":
        return '&#39;';
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      default:
        return '\uFFFD';
    }
  });
}

const JS_SPECIAL: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

/** JSEscapeString of the printed arguments. */
export function jsEscaper(...args: GoValue[]): string {
  const s = evalArgs(args);
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const special = JS_SPECIAL[ch];
    if (special !== undefined) out += special;
    else if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (cp < 0x80) out += ch;
    else if (isPrint(cp)) out += ch;
    else out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape of the printed arguments. */
export function urlQueryEscaper(...args: GoValue[]): string {
  const s = evalArgs(args);
  let out = '';
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
