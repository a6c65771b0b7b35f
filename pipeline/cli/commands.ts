/** The literal list of commands (nothing is loaded by name at run time). */
import { buildCommand } from './build.js';
import type { CommandSpec } from './command.js';
import { depsCommand } from './deps.js';
import { e2eCommand } from './e2e.js';
import { imagesCommand } from './images.js';
import { keysCommand } from './keys.js';
import { lintCommand } from './lint.js';
import { planCommand } from './plan.js';
import { publishCommand } from './publish.js';
import { pullCommand } from './pull.js';
import { renderCommand } from './render.js';
import { schemasCommand } from './schemas.js';
import { templateCommand } from './template.js';
import { upstreamCommand } from './upstream.js';
import { validateCommand } from './validate.js';
import { verifyCommand } from './verify.js';

export const commands: Record<string, CommandSpec> = {
  lint: lintCommand,
  deps: depsCommand,
  plan: planCommand,
  build: buildCommand,
  render: renderCommand,
  e2e: e2eCommand,
  publish: publishCommand,
  verify: verifyCommand,
  pull: pullCommand,
  keys: keysCommand,
  validate: validateCommand,
  schemas: schemasCommand,
  template: templateCommand,
  images: imagesCommand,
  upstream: upstreamCommand,
};
