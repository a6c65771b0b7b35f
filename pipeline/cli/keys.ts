/** `csp keys generate --out PREFIX`: an ECDSA P-256 signing key pair (PREFIX.key PKCS#8 mode 0600, PREFIX.pub SPKI). */
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { stringOpt, type CommandSpec } from './command.js';

export const keysCommand: CommandSpec = {
  name: 'keys',
  summary: 'Generate a signing key pair for csp publish --key and csp verify --key',
  usage: 'csp keys generate --out PREFIX [--json]',
  description: 'Writes PREFIX.key (PKCS#8 PEM, ECDSA P-256, mode 0600; keep it secret) and PREFIX.pub (SPKI PEM; publish it). Existing files are never overwritten.',
  options: {
    out: { type: 'string', arg: 'PREFIX', description: 'Path prefix of the two key files.' },
  },
  async run(ctx, args) {
    const [action] = args.positionals;
    if (action !== 'generate' || args.positionals.length !== 1) {
      throw new UserInputError('CLI_BAD_ARGUMENTS', `unknown keys action ${JSON.stringify(action ?? '')}`, { details: 'Usage: csp keys generate --out PREFIX' });
    }
    const prefix = stringOpt(args, 'out');
    if (!prefix) throw new UserInputError('CLI_BAD_ARGUMENTS', 'csp keys generate needs --out PREFIX', { details: 'Example: csp keys generate --out .keys/release' });
    const { generateKeyPair, writeKeyPair } = await import('../sign/index.js');
    const pair = generateKeyPair();
    ctx.log.addSecret(pair.privateKeyPem);
    const files = await writeKeyPair(path.resolve(ctx.cwd, prefix), pair);
    if (ctx.json) ctx.out(JSON.stringify({ ok: true, ...files }, null, 2));
    else ctx.out(`wrote ${path.relative(ctx.cwd, files.privateKeyFile)} (private, 0600) and ${path.relative(ctx.cwd, files.publicKeyFile)}`);
    return 0;
  },
};
