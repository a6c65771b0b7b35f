/**
 * `csp verify REF`: check signature, signed digest, provenance subject and every layer of a published release.
 * `csp verify --files DIR`: check downloaded release assets against their signed SHA256SUMS.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { VerifyPolicy } from '../sign/index.js';
import { publishDeps } from './publish.js';
import { stringOpt, type CliContext, type CommandSpec, type OptionSpec, type ParsedArgs } from './command.js';

/** Options shared by verify and pull. */
export const VERIFY_OPTIONS: Record<string, OptionSpec> = {
  key: { type: 'string', arg: 'PUB', description: 'Public key (SPKI PEM from csp keys generate) the release must be signed with.' },
  identity: { type: 'string', arg: 'SAN', description: 'Keyless: certificate identity, e.g. https://github.com/ORG/REPO/.github/workflows/release.yaml@refs/heads/main' },
  issuer: { type: 'string', arg: 'URL', description: 'Keyless: OIDC issuer, e.g. https://token.actions.githubusercontent.com' },
  'trusted-root': { type: 'string', arg: 'FILE', description: 'Keyless: Sigstore trusted_root.json (default: fetched over TUF).' },
  'docker-config': { type: 'string', arg: 'FILE', description: 'docker config.json with registry credentials.' },
};

export const verifyCommand: CommandSpec = {
  name: 'verify',
  summary: 'Verify a published release: signature, signed digest, provenance and every layer',
  usage: 'csp verify (REF | --files DIR) (--key PUB | --identity SAN --issuer URL) [--require-e2e] [--json]',
  description: [
    'REF is [oci://]HOST[:PORT]/REPO:TAG (also @sha256:…) or LAYOUT_DIR:RELEASE_NAME for a local OCI layout.',
    'Fails (exit 1) with the reason when the signature does not verify, signs another digest, the provenance',
    'names another subject, or a layer does not match its digest.',
    '--files DIR checks a folder of downloaded release assets (e.g. a GitHub release): SHA256SUMS.sigstore.json',
    'must sign SHA256SUMS under the policy, every listed file must be there with its digest, and no other file',
    'may be in DIR (VERIFY_SUMS_UNSIGNED, VERIFY_SUMS_SIGNATURE_INVALID, VERIFY_FILE_MISMATCH, VERIFY_FILE_MISSING,',
    'VERIFY_FILE_UNLISTED).',
  ].join('\n'),
  options: {
    ...VERIFY_OPTIONS,
    files: { type: 'string', arg: 'DIR', description: 'Verify a folder of downloaded release assets against its signed SHA256SUMS instead of a REF.' },
    'require-e2e': { type: 'boolean', description: 'Also require a passing csp e2e attestation signed under the same policy (VERIFY_E2E_MISSING).' },
  },
  async run(ctx, args) {
    const [ref, ...extra] = args.positionals;
    const filesDir = stringOpt(args, 'files');
    if (filesDir !== undefined) {
      if (ref !== undefined) throw new UserInputError('CLI_BAD_ARGUMENTS', '--files DIR excludes a REF', { details: `Usage: ${verifyCommand.usage}` });
      return verifyFiles(ctx, args, filesDir);
    }
    if (!ref || extra.length) throw new UserInputError('CLI_BAD_ARGUMENTS', 'csp verify takes exactly one REF (or --files DIR)', { details: `Usage: ${verifyCommand.usage}` });
    const { openSource, verifyPublished } = await import('../publish/index.js');
    const policy = await verifyPolicy(ctx, args);
    const source = await openSource(ref, ctx.cwd, publishDeps(ctx, args));
    const result = await verifyPublished({ source, policy, loadTrustedRoot: trustedRootLoader(ctx, args), requireE2e: args.values['require-e2e'] === true });
    if (ctx.json) ctx.out(JSON.stringify({ ok: true, ...result }, null, 2));
    else {
      ctx.out(`verified ${result.ref} ${result.digest}`);
      ctx.out(`  signed by ${result.signer}; attestations: ${result.attestations.map((a) => a.kind).join(', ')}`);
      for (const f of result.files) ctx.out(`  ${f.digest}  ${f.name}`);
      for (const why of result.ignored) ctx.log.warn(`ignored a referrer that does not verify: ${why}`);
    }
    return 0;
  },
};

/** `csp verify --files DIR`: the signed SHA256SUMS and every file; with --json, file problems are listed one by one. */
async function verifyFiles(ctx: CliContext, args: ParsedArgs, dir: string): Promise<number> {
  const { ReleaseFilesMismatch, verifyReleaseFiles } = await import('../sign/index.js');
  const policy = await verifyPolicy(ctx, args);
  try {
    const result = await verifyReleaseFiles({ dir: path.resolve(ctx.cwd, dir), policy, loadTrustedRoot: trustedRootLoader(ctx, args) });
    if (ctx.json) ctx.out(JSON.stringify({ ok: true, ...result }, null, 2));
    else {
      ctx.out(`verified ${result.dir}: SHA256SUMS ${result.sumsDigest} signed by ${result.signer}`);
      for (const f of result.files) ctx.out(`  ${f.digest}  ${f.name}`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ReleaseFilesMismatch) || !ctx.json) throw error;
    ctx.out(JSON.stringify({ ok: false, error: { code: error.code, message: error.message, details: error.details }, problems: error.problems }, null, 2));
    ctx.err(`csp: ${error.code} ${error.message}`);
    return error.exitCode;
  }
}

/** The policy from --key or --identity/--issuer (exactly one of them). */
export async function verifyPolicy(ctx: CliContext, args: ParsedArgs): Promise<VerifyPolicy> {
  const key = stringOpt(args, 'key');
  const identity = stringOpt(args, 'identity');
  const issuer = stringOpt(args, 'issuer');
  if (key && (identity || issuer)) throw new UserInputError('CLI_BAD_ARGUMENTS', '--key excludes --identity/--issuer', { details: 'Verify either against a key or a keyless identity.' });
  if (key) {
    const pem = await fs.readFile(path.resolve(ctx.cwd, key), 'utf8').catch((error: unknown) => {
      throw new UserInputError('KEY_FILE_MISSING', `cannot read public key ${key}`, { details: 'Pass the PREFIX.pub written by csp keys generate.', cause: error });
    });
    if (/PRIVATE KEY/.test(pem)) {
      ctx.log.addSecret(pem.trim());
      throw new UserInputError('KEY_IS_PRIVATE', `${key} is a private key`, { details: 'Verify with the public key (PREFIX.pub); never hand out PREFIX.key.' });
    }
    return { kind: 'key', publicKeyPem: pem };
  }
  if (identity && issuer) {
    const rootFile = stringOpt(args, 'trusted-root');
    const trustedRootJson = rootFile ? (JSON.parse(await fs.readFile(path.resolve(ctx.cwd, rootFile), 'utf8')) as unknown) : undefined;
    return { kind: 'keyless', identity, issuer, ...(trustedRootJson ? { trustedRootJson } : {}) };
  }
  throw new UserInputError('CLI_BAD_ARGUMENTS', 'say whom to trust: --key PUB, or --identity and --issuer', { details: 'Unsigned or unverified releases are never accepted.' });
}

/** Loads the public-good Sigstore trusted root over TUF (keyless without --trusted-root; needs network). */
export function trustedRootLoader(_ctx: CliContext, _args: ParsedArgs): () => Promise<unknown> {
  return async () => {
    const { getTrustedRoot } = await import('@sigstore/tuf');
    const { TrustedRoot } = await import('@sigstore/protobuf-specs');
    return TrustedRoot.toJSON(await getTrustedRoot());
  };
}
