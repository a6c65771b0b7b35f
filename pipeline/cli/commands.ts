/**
 * Every command spec, loaded (help lists them all; tests walk them). The list itself is command-loaders.ts,
 * which main uses to load only the command that runs.
 */
import type { CommandSpec } from './command.js';
import { commandLoaders } from './command-loaders.js';

export const commands: Record<string, CommandSpec> = Object.fromEntries(
  await Promise.all(Object.entries(commandLoaders).map(async ([name, load]) => [name, await load()] as const)),
);
