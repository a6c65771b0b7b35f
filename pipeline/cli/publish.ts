/** `csp publish RELEASE_DIR|--all`: push built releases to the OCI layout, registries or GitHub, signed and recorded. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { BuildContext, Credentials, PublishDeps, PublishTarget } from '../publish/index.js';
import type { SigningMode, VerifyPolicy } from '../sign/index.js';
import { boolOpt, listOpt, stringOpt, type CliContext, type CommandSpec, type ParsedArgs } from './command.js';
import { sharedOptions } from './options.js';

export const publishCommand: CommandSpec = {
  name: 'publish',
  summary: 'Publish built releases (OCI layout, registries, GitHub) with Sigstore signature, provenance and SBOM',
  usage: 'csp publish RELEASE_DIR|--all [--out DIR] [--to oci://HOST/REPO]... [--to github OWNER/REPO] [--key FILE|--keyless] [--dry-run] [--json]',
  description: [
    'Publishes OUT/<release-name>/ together with its manifest from OUT/oci-layout (both written by csp build).',
    'Without --to the target is that local OCI layout. Release names are immutable: the same digest is a no-op,',
    'a different one is refused. With --key (a csp keys generate private key) or --keyless (GitHub Actions OIDC,',
    'Fulcio + Rekor) a cosign-style signature, SLSA provenance and the SBOM are attached as OCI referrers and',
    'SHA256SUMS gets SHA256SUMS.sigstore.json. Registry credentials: OCI_USERNAME/OCI_PASSWORD, OCI_ACCESS_TOKEN',
    'or a docker config.json. The result is recorded in releases/<release-name>.yaml.',
    'Registry and GitHub targets need a passing csp e2e attestation of the bundle in OUT/oci-layout, verified under',
    '--e2e-key, the --key pair, or --e2e-identity/--e2e-issuer; it is attached next to the others. --skip-e2e',
    'publishes without one (a loud warning, recorded in the release record).',
  ].join('\n'),
  options: {
    all: { type: 'boolean', description: 'Publish every release folder under --out.' },
    ...sharedOptions('out', 'ledger'),
    to: { type: 'string', multiple: true, arg: 'TARGET', description: 'oci://HOST/REPO, or github (followed by OWNER/REPO). Default: the local OCI layout.' },
    key: { type: 'string', arg: 'FILE', description: 'Private key (PKCS#8 PEM, P-256) to sign with, offline.' },
    keyless: { type: 'boolean', description: 'Sign keylessly with Fulcio/Rekor (GitHub Actions with id-token: write).' },
    'docker-config': { type: 'string', arg: 'FILE', description: 'docker config.json with registry credentials.' },
    'dry-run': { type: 'boolean', description: 'Only check and say what would be pushed.' },
    'skip-e2e': { type: 'boolean', description: 'Publish to a registry or GitHub without a passing e2e attestation (loud warning, recorded).' },
    'e2e-key': { type: 'string', arg: 'PUB', description: 'Public key the e2e attestation must be signed with (default: the --key pair).' },
    'e2e-identity': { type: 'string', arg: 'SAN', description: 'Keyless: certificate identity the e2e attestation must carry.' },
    'e2e-issuer': { type: 'string', arg: 'URL', description: 'Keyless: OIDC issuer of the e2e attestation (default GitHub Actions).' },
  },
  async run(ctx, args) {
    const outDir = path.resolve(ctx.cwd, stringOpt(args, 'out') ?? 'out');
    const layoutDir = path.join(outDir, 'oci-layout');
    const { targets, rest } = parseTargets(listOpt(args, 'to'), args.positionals, layoutDir);
    if (boolOpt(args, 'all') === rest.length > 0) {
      throw new UserInputError('CLI_BAD_ARGUMENTS', boolOpt(args, 'all') ? '--all takes no RELEASE_DIR' : 'name a RELEASE_DIR or pass --all', { details: `Usage: ${publishCommand.usage}` });
    }
    const { listReleaseDirs, publishRelease } = await import('../publish/index.js');
    const releaseDirs = boolOpt(args, 'all') ? await listReleaseDirs(outDir, layoutDir) : rest.map((d) => path.resolve(ctx.cwd, d));
    if (releaseDirs.length === 0) throw new UserInputError('PUBLISH_NOTHING', `no release folders under ${outDir}`, { details: 'Run csp build first.' });
    const signing = await signingMode(ctx, args);
    if (!signing) ctx.log.warn('publishing unsigned (no --key or --keyless): csp verify and csp pull will refuse these releases');
    const deps = publishDeps(ctx, args);
    if (targets.some((t) => t.kind === 'github')) {
      const { createGithubPublisher } = await import('../publish/index.js');
      deps.github = createGithubPublisher({ token: ctx.env.GITHUB_TOKEN ?? ctx.env.GH_TOKEN, baseUrl: ctx.env.GITHUB_API_URL, log: ctx.log, targetCommitish: ctx.env.GITHUB_SHA });
    }
    // Provenance is signed: an unsigned publish needs no git lookups.
    const build = signing ? await buildContext(ctx) : undefined;
    const e2e = targets.some((t) => t.kind !== 'oci-layout') ? await e2eGate(ctx, args, signing) : undefined;
    const results = [];
    for (const releaseDir of releaseDirs) {
      results.push(await publishRelease({ releaseDir, layoutDir, targets, signing, ...(build ? { build } : {}), dryRun: boolOpt(args, 'dry-run'), ledgerDir: path.resolve(ctx.cwd, stringOpt(args, 'ledger') ?? 'releases'), ...(e2e ? { e2e } : {}) }, deps));
    }
    if (ctx.json) ctx.out(JSON.stringify({ ok: true, releases: results }, null, 2));
    else for (const r of results) for (const t of r.targets) ctx.out(`${t.status.padEnd(10)} ${t.ref} ${t.digest}${t.attestations.length ? ` [${t.attestations.map((a) => `${a.kind}:${a.status}`).join(' ')}]` : ''}`);
    return 0;
  },
};

function parseTargets(to: string[], positionals: string[], layoutDir: string): { targets: PublishTarget[]; rest: string[] } {
  const targets: PublishTarget[] = [];
  const rest = [...positionals];
  for (const t of to) {
    if (t === 'github' || t.startsWith('github:')) {
      // `--to github OWNER/REPO`: the repository is the next positional that looks like OWNER/REPO.
      const inline = t.startsWith('github:') ? t.slice(7) : undefined;
      const idx = inline ? -1 : rest.findIndex((p) => /^[\w.-]+\/[\w.-]+$/.test(p) && !fs.existsSync(p));
      const repository = inline ?? (idx >= 0 ? rest.splice(idx, 1)[0] : undefined);
      if (!repository) throw new UserInputError('CLI_BAD_ARGUMENTS', '--to github needs OWNER/REPO', { details: 'Example: --to github SovereignCloudStack/cluster-stacks' });
      targets.push({ kind: 'github', repository });
    } else if (t.startsWith('oci://')) {
      targets.push({ kind: 'oci', reference: t });
    } else {
      throw new UserInputError('CLI_BAD_ARGUMENTS', `unknown publish target ${t}`, { details: 'Use oci://HOST/REPO or github OWNER/REPO.' });
    }
  }
  if (targets.length === 0) targets.push({ kind: 'oci-layout', dir: layoutDir });
  return { targets, rest };
}

/** The signing mode from --key / --keyless; the key is registered as a secret before anything is printed. */
export async function signingMode(ctx: CliContext, args: ParsedArgs): Promise<SigningMode | null> {
  const keyFile = stringOpt(args, 'key');
  if (keyFile && boolOpt(args, 'keyless')) throw new UserInputError('CLI_BAD_ARGUMENTS', '--key and --keyless exclude each other', { details: 'Pick one signing mode.' });
  if (keyFile) {
    const { parsePrivateKey, readKeyFile } = await import('../sign/index.js');
    const pem = await readKeyFile(path.resolve(ctx.cwd, keyFile), 'private key');
    ctx.log.addSecret(pem.trim());
    ctx.log.addSecret(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
    return { kind: 'key', privateKey: parsePrivateKey(pem, keyFile) };
  }
  if (boolOpt(args, 'keyless')) {
    const token = ctx.env.SIGSTORE_ID_TOKEN;
    ctx.log.addSecret(token);
    ctx.log.addSecret(ctx.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
    if (!token && !(ctx.env.ACTIONS_ID_TOKEN_REQUEST_URL && ctx.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)) {
      throw new UserInputError('SIGN_NO_OIDC', '--keyless needs an OIDC identity token', {
        details: 'Run in GitHub Actions with `permissions: id-token: write` (or set SIGSTORE_ID_TOKEN); locally use --key.',
      });
    }
    return { kind: 'keyless', ...(token ? { identityToken: token } : {}), fulcioUrl: ctx.env.SIGSTORE_FULCIO_URL, rekorUrl: ctx.env.SIGSTORE_REKOR_URL };
  }
  return null;
}

/** Registry access from the environment: OCI_USERNAME/OCI_PASSWORD, OCI_ACCESS_TOKEN, or a docker config.json. */
export function publishDeps(ctx: CliContext, args: ParsedArgs): PublishDeps {
  const env = ctx.env;
  const username = env.OCI_USERNAME ?? env.CSP_REGISTRY_USERNAME;
  const password = env.OCI_PASSWORD ?? env.CSP_REGISTRY_PASSWORD;
  for (const s of [password, env.OCI_ACCESS_TOKEN]) ctx.log.addSecret(s);
  const credentials: Credentials | undefined = env.OCI_ACCESS_TOKEN
    ? { accessToken: Buffer.from(env.OCI_ACCESS_TOKEN).toString('base64') }
    : username && password
      ? { username, password }
      : undefined;
  if (credentials?.accessToken) ctx.log.addSecret(credentials.accessToken);
  const explicit = stringOpt(args, 'docker-config');
  const implicit = path.join(env.DOCKER_CONFIG ?? path.join(env.HOME ?? os.homedir(), '.docker'), 'config.json');
  const dockerConfig = explicit ? path.resolve(ctx.cwd, explicit) : fs.existsSync(implicit) ? implicit : undefined;
  // Like cosign's COSIGN_REPOSITORY: where referrers go on registries without the referrers API (same registry).
  const signatureRepository = env.CSP_SIGNATURE_REPOSITORY;
  return { http: ctx.http, log: ctx.log, now: ctx.now, credentialsFor: () => credentials, dockerConfig, ...(signatureRepository ? { registryOptions: { signatureRepository } } : {}) };
}

/** Builder, source and invocation for the provenance: GitHub Actions variables, else local git. */
async function buildContext(ctx: CliContext): Promise<BuildContext> {
  const env = ctx.env;
  if (env.GITHUB_ACTIONS === 'true') {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const repo = env.GITHUB_REPOSITORY;
    const [wfPath, wfRef] = (env.GITHUB_WORKFLOW_REF ?? '').replace(`${repo}/`, '').split('@');
    return {
      builderId: `https://github.com/actions/runner/${env.RUNNER_ENVIRONMENT ?? 'github-hosted'}`,
      source: { repository: repo ? `${server}/${repo}` : undefined, commit: env.GITHUB_SHA, ref: env.GITHUB_REF },
      ...(repo ? { workflow: { repository: `${server}/${repo}`, path: wfPath, ref: wfRef } } : {}),
      ...(repo && env.GITHUB_RUN_ID ? { invocationId: `${server}/${repo}/actions/runs/${env.GITHUB_RUN_ID}/attempts/${env.GITHUB_RUN_ATTEMPT ?? '1'}` } : {}),
      startedOn: ctx.now().toISOString(),
    };
  }
  const git = async (gitArgs: string[]): Promise<string | undefined> => {
    const res = await ctx.run('git', gitArgs, { cwd: ctx.cwd, allowFailure: true, timeoutMs: 10_000 }).catch(() => null);
    return res && res.exitCode === 0 ? res.stdout.trim() || undefined : undefined;
  };
  const remote = await git(['remote', 'get-url', 'origin']);
  return {
    builderId: 'https://scs.community/csp/local',
    source: { repository: remote?.replace(/\/\/[^@/]*@/, '//'), commit: await git(['rev-parse', 'HEAD']), ref: await git(['symbolic-ref', '-q', 'HEAD']) },
    startedOn: ctx.now().toISOString(),
  };
}

/** How the e2e gate is passed: --skip-e2e, or the policy the e2e attestation must verify under. */
async function e2eGate(ctx: CliContext, args: ParsedArgs, signing: SigningMode | null): Promise<{ skip: true } | { policy: VerifyPolicy }> {
  if (boolOpt(args, 'skip-e2e')) return { skip: true };
  const keyFile = stringOpt(args, 'e2e-key');
  if (keyFile) {
    const pem = await fs.promises.readFile(path.resolve(ctx.cwd, keyFile), 'utf8').catch((error: unknown) => {
      throw new UserInputError('KEY_FILE_MISSING', `cannot read public key ${keyFile}`, { details: 'Pass the PREFIX.pub that signed the e2e attestation.', cause: error });
    });
    return { policy: { kind: 'key', publicKeyPem: pem } };
  }
  const identity = stringOpt(args, 'e2e-identity');
  if (identity) return { policy: { kind: 'keyless', identity, issuer: stringOpt(args, 'e2e-issuer') ?? 'https://token.actions.githubusercontent.com' } };
  if (signing?.kind === 'key') return { policy: { kind: 'key', publicKeyPem: crypto.createPublicKey(signing.privateKey).export({ format: 'pem', type: 'spki' }).toString() } };
  throw new UserInputError('PUBLISH_E2E_POLICY_MISSING', 'publishing to a registry or GitHub needs a passing e2e attestation, and no way to verify it was given', {
    details: 'Pass --e2e-key PUB or --e2e-identity SAN (keyless), sign with --key (its pair is used), or --skip-e2e.',
  });
}
