/** The literal list of commands (nothing is loaded by name at run time). */
import type { CommandSpec } from './command.js';
import { depsCommand } from './deps.js';
import { lintCommand } from './lint.js';

export const commands: Record<string, CommandSpec> = {
  lint: lintCommand,
  deps: depsCommand,
};
