/**
 * The literal list of commands by name, each loaded only when it runs: `csp publish` does not load the build,
 * render or validate commands and what they import (issue 16). commands.ts loads them all (for help and the
 * tests); nothing is loaded by a computed name.
 */
import type { CommandSpec } from './command.js';

export const commandLoaders: Record<string, () => Promise<CommandSpec>> = {
  lint: async () => (await import('./lint.js')).lintCommand,
  deps: async () => (await import('./deps.js')).depsCommand,
  plan: async () => (await import('./plan.js')).planCommand,
  build: async () => (await import('./build.js')).buildCommand,
  render: async () => (await import('./render.js')).renderCommand,
  e2e: async () => (await import('./e2e.js')).e2eCommand,
  publish: async () => (await import('./publish.js')).publishCommand,
  verify: async () => (await import('./verify.js')).verifyCommand,
  pull: async () => (await import('./pull.js')).pullCommand,
  keys: async () => (await import('./keys.js')).keysCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  schemas: async () => (await import('./schemas.js')).schemasCommand,
  template: async () => (await import('./template.js')).templateCommand,
  images: async () => (await import('./images.js')).imagesCommand,
  upstream: async () => (await import('./upstream.js')).upstreamCommand,
};
