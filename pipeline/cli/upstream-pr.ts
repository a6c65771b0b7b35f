/** `csp upstream pr`: bump per stack line and open or update its pull request. */
import { UserInputError } from '../core/errors.js';
import type { CheckUpstreamInput } from '../watch/index.js';
import type { CliContext, ParsedArgs } from './command.js';

export async function upstreamPr(_ctx: CliContext, _args: ParsedArgs, _input: CheckUpstreamInput): Promise<number> {
  throw new UserInputError('NOT_YET', 'not yet');
}
