/**
 * The help texts written beside the compiled CLI by `npm run build` (`help.json`), so bin/csp.js answers
 * `csp --help` and `csp CMD --help` by reading one file instead of loading every command (issue 16). The file
 * carries a stamp of the compiled cli/ files: texts from another build are never used (main's live texts are).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HelpSource } from './help-answer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const HELP_FILE = 'help.json';

/** Name, size and mtime of every compiled cli/ module (tsc rewrites them all on every build). */
export function cliStamp(dir = here): string {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => {
      const st = fs.statSync(path.join(dir, f));
      return `${f} ${st.size} ${st.mtimeMs}`;
    })
    .join('\n');
}

/** The texts of this build, or undefined (no file, another build's, unreadable): then the caller loads the commands. */
export function readHelpFile(dir = here): HelpSource | undefined {
  try {
    const data = JSON.parse(fs.readFileSync(path.join(dir, HELP_FILE), 'utf8')) as { stamp?: unknown; top?: unknown; commands?: Record<string, unknown> };
    const commands = data.commands;
    if (data.stamp !== cliStamp(dir) || typeof data.top !== 'string' || typeof commands !== 'object' || commands === null) return undefined;
    const top = data.top;
    return {
      top: () => top,
      command: (name) => {
        const text = Object.hasOwn(commands, name) ? commands[name] : undefined;
        return typeof text === 'string' ? text : undefined;
      },
    };
  } catch {
    return undefined;
  }
}

/** Writes `help.json` for the compiled cli/ folder `dir` (the build step after tsc). */
export async function writeHelpFile(dir = here): Promise<void> {
  const { helpTexts } = await import('./help.js');
  fs.writeFileSync(path.join(dir, HELP_FILE), `${JSON.stringify({ stamp: cliStamp(dir), ...helpTexts() })}\n`);
}
