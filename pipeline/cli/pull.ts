/** `csp pull REF --out DIR`: verify a published release, then write its files (layer titles) safely into DIR. */
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { publishDeps } from './publish.js';
import { stringOpt, type CommandSpec } from './command.js';
import { VERIFY_OPTIONS, trustedRootLoader, verifyPolicy } from './verify.js';
import { sharedOptions } from './options.js';

export const pullCommand: CommandSpec = {
  name: 'pull',
  summary: 'Verify a published release and write its files (as CSO would) into a folder',
  usage: 'csp pull REF --out DIR (--key PUB | --identity SAN --issuer URL) [--max-size MB] [--json]',
  description: [
    'Runs every csp verify check first. Layer titles must be plain file names (no absolute paths, no `..`,',
    'no separators); files never replace links or existing entries; sizes are limited (default 2048 MB a file).',
  ].join('\n'),
  options: {
    ...VERIFY_OPTIONS,
    ...sharedOptions('out'),
    'max-size': { type: 'string', arg: 'MB', description: 'Largest file accepted, in MiB (default 2048).' },
  },
  async run(ctx, args) {
    const [ref, ...extra] = args.positionals;
    const out = stringOpt(args, 'out');
    if (!ref || extra.length || !out) throw new UserInputError('CLI_BAD_ARGUMENTS', 'csp pull takes one REF and --out DIR', { details: `Usage: ${pullCommand.usage}` });
    const maxMb = stringOpt(args, 'max-size');
    const maxFileBytes = maxMb === undefined ? undefined : Number(maxMb) * 1024 * 1024;
    if (maxFileBytes !== undefined && !(maxFileBytes > 0)) throw new UserInputError('CLI_BAD_ARGUMENTS', `--max-size ${maxMb} is not a positive number`, { details: 'Give mebibytes, e.g. --max-size 512.' });
    const { openSource, pullRelease } = await import('../publish/index.js');
    const policy = await verifyPolicy(ctx, args);
    const source = await openSource(ref, ctx.cwd, publishDeps(ctx, args));
    const result = await pullRelease({ source, policy, outDir: path.resolve(ctx.cwd, out), ...(maxFileBytes ? { maxFileBytes } : {}), loadTrustedRoot: trustedRootLoader(ctx, args) });
    if (ctx.json) ctx.out(JSON.stringify({ ok: true, ...result }, null, 2));
    else {
      ctx.out(`verified ${result.ref} ${result.digest} (signed by ${result.signer})`);
      for (const f of result.written) ctx.out(`  wrote ${path.relative(ctx.cwd, f)}`);
    }
    return 0;
  },
};
