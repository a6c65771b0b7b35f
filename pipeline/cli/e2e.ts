/**
 * `csp e2e RELEASE_DIR`: test a built bundle on a real cluster (kind + Cluster API + CAPD + CSO), write JUnit and
 * a Markdown summary, and with --key/--keyless attest a passing run on the bundle's manifest digest.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { requireTool } from '../core/run.js';
import type { E2eResult } from '../e2e/index.js';
import { boolOpt, stringOpt, type CliContext, type CommandSpec, type ParsedArgs } from './command.js';
import { SHARED_OPTIONS } from './options.js';
import { signingMode } from './publish.js';

export const e2eCommand: CommandSpec = {
  name: 'e2e',
  summary: 'Create a workload cluster from a built bundle, check it against the SCS standards, attest the result',
  usage: 'csp e2e RELEASE_DIR [--provider docker] [--cluster FILE] [--cso-manifest FILE] [--keep] [--junit FILE] [--key FILE|--keyless] [--dry-run] [--json]',
  description: [
    'Decide, then act. --dry-run prints every step with its command or API call and changes nothing.',
    'A run: kind management cluster (pinned node image) with the release folder mounted; clusterctl init (Cluster API,',
    'CAPD); CSO in local mode reading the release folder; ClusterStack; a Cluster from --cluster (default',
    'stacks/cluster-example.yaml, only class and version changed); then checks (Kubernetes version, nodes, kube-system',
    'pods, pod-to-pod traffic and DNS, metrics API, storage, load balancer). On a failure: clusterctl describe, events',
    'and controller logs into the work dir. Teardown always runs (also on SIGINT/SIGTERM) unless --keep.',
    'A passing run with --key/--keyless attaches a signed e2e attestation to the bundle in OUT/oci-layout, which',
    'csp publish requires. Needs kind and clusterctl on PATH (and docker); the real run happens in GitHub Actions.',
    'Exit codes: 0 passed, 1 the bundle failed a phase or check, 2 a tool failed to start.',
  ].join('\n'),
  options: {
    provider: { type: 'string', arg: 'NAME', description: 'Infrastructure provider of the run (only docker).' },
    cluster: { type: 'string', arg: 'FILE', description: 'Seed Cluster (default stacks/cluster-example.yaml).' },
    'cso-manifest': { type: 'string', arg: 'FILE', description: 'CSO release manifest cso-infrastructure-components.yaml (required for a real run).' },
    out: { ...SHARED_OPTIONS.out, description: 'Build output folder holding oci-layout/ (default: the release folder\'s parent).' },
    work: { type: 'string', arg: 'DIR', description: 'Work dir for kubeconfigs, diagnostics and reports (default .csp-e2e/<release>).' },
    keep: { type: 'boolean', description: 'Do not tear the clusters down at the end.' },
    conformance: { type: 'boolean', description: 'Also run the CNCF conformance quick mode (sonobuoy --mode quick).' },
    junit: { type: 'string', arg: 'FILE', description: 'Write JUnit XML here (default <work>/junit.xml).' },
    key: { type: 'string', arg: 'FILE', description: 'Sign the e2e attestation with this private key.' },
    keyless: { type: 'boolean', description: 'Sign the e2e attestation keylessly (GitHub Actions OIDC).' },
    poll: { type: 'string', arg: 'SECONDS', description: 'Interval of the waits (default 5).' },
    'dry-run': { type: 'boolean', description: 'Print the plan only.' },
    'attest-result': { type: 'string', arg: 'FILE', description: 'Do not run: attest the result.json of a passing run of this bundle (a later job of the same workflow).' },
  },
  async run(ctx, args) {
    const [dir, ...extra] = args.positionals;
    if (!dir || extra.length) throw new UserInputError('CLI_BAD_ARGUMENTS', 'csp e2e takes exactly one RELEASE_DIR', { details: `Usage: ${e2eCommand.usage}` });
    if (/^(oci:\/\/|[\w.-]+(:\d+)?\/)/.test(dir) && !(await exists(path.resolve(ctx.cwd, dir)))) {
      throw new UserInputError('E2E_REF_UNSUPPORTED', `${dir} looks like a registry reference`, { details: 'csp e2e tests a built release folder; fetch a published one first with csp pull REF --out DIR.' });
    }
    const provider = stringOpt(args, 'provider') ?? 'docker';
    if (provider !== 'docker') throw new UserInputError('E2E_PROVIDER_UNSUPPORTED', `--provider ${provider} is not supported`, { details: 'csp e2e runs the docker provider (CAPD) only.' });
    const releaseDir = path.resolve(ctx.cwd, dir);
    // Loaded per run: the e2e stage brings @kubernetes/client-node, publish/ the OCI layout code.
    const { createKubeClient, formatPlan, junitXml, markdownSummary, planE2e, readBundle, runE2e } = await import('../e2e/index.js');
    const { attachE2eAttestation } = await import('../publish/index.js');
    const outDir = path.resolve(ctx.cwd, stringOpt(args, 'out') ?? path.dirname(releaseDir));
    const bundle = await readBundle(releaseDir, path.join(outDir, 'oci-layout'));
    const resultFile = stringOpt(args, 'attest-result');
    if (resultFile) return attestResult(ctx, args, { file: path.resolve(ctx.cwd, resultFile), layoutDir: path.join(outDir, 'oci-layout'), releaseName: bundle.releaseName });
    const clusterFile = path.resolve(ctx.cwd, stringOpt(args, 'cluster') ?? 'stacks/cluster-example.yaml');
    const clusterExample = await readYaml(clusterFile);
    const workDir = path.resolve(ctx.cwd, stringOpt(args, 'work') ?? path.join('.csp-e2e', bundle.releaseName));
    const plan = planE2e({ bundle, clusterExample, workDir, keep: boolOpt(args, 'keep'), conformance: boolOpt(args, 'conformance') });
    if (boolOpt(args, 'dry-run')) {
      ctx.out(ctx.json ? JSON.stringify({ ok: true, dryRun: true, plan }, null, 2) : formatPlan(plan));
      return 0;
    }
    const manifestFile = stringOpt(args, 'cso-manifest');
    if (!manifestFile) throw new UserInputError('E2E_CSO_MANIFEST_MISSING', '--cso-manifest FILE is required for a run', { details: `Download cso-infrastructure-components.yaml of CSO ${plan.versions.cso} (e2e.yml does) and pass it.` });
    const csoManifest = { file: manifestFile, text: await fs.readFile(path.resolve(ctx.cwd, manifestFile), 'utf8') };
    const signing = await signingMode(ctx, args);
    for (const [tool, pkg] of [['kind', 'kind (https://kind.sigs.k8s.io)'], ['clusterctl', 'clusterctl (Cluster API release)'], ...(boolOpt(args, 'conformance') ? [['sonobuoy', 'sonobuoy']] : [])] as const) {
      ctx.log.info(`${tool}: ${await requireTool(ctx.run, tool, tool === 'clusterctl' ? ['version', '-o', 'short'] : ['version'], pkg)}`);
    }
    const poll = Number(stringOpt(args, 'poll') ?? '5');
    if (!(poll > 0 && poll <= 600)) throw new UserInputError('CLI_BAD_ARGUMENTS', `--poll ${stringOpt(args, 'poll')} is not a number of seconds in (0, 600]`, { details: 'Example: --poll 5' });
    const result = await withSignals(ctx, (signal) => runE2e(plan, { run: ctx.run, kube: createKubeClient, log: ctx.log, now: ctx.now, signal, pollMs: poll * 1000 }, { csoManifest }));
    const junitFile = path.resolve(ctx.cwd, stringOpt(args, 'junit') ?? path.join(workDir, 'junit.xml'));
    await fs.mkdir(path.dirname(junitFile), { recursive: true });
    await fs.writeFile(junitFile, junitXml(result));
    await fs.writeFile(path.join(workDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    if (ctx.env.GITHUB_STEP_SUMMARY) await fs.appendFile(ctx.env.GITHUB_STEP_SUMMARY, markdownSummary(result));
    let attestation: string | undefined;
    if (result.ok && signing && bundle.manifestDigest) {
      attestation = (await attachE2eAttestation({ layoutDir: path.join(outDir, 'oci-layout'), releaseName: bundle.releaseName, result, signing, created: ctx.now().toISOString() })).digest;
    } else if (result.ok && !signing) ctx.log.warn('no --key/--keyless: the passing run is not attested, so csp publish will refuse this bundle without --skip-e2e');
    report(ctx, result, junitFile, attestation);
    return result.ok ? 0 : 1;
  },
};

function report(ctx: CliContext, result: E2eResult, junitFile: string, attestation: string | undefined): void {
  if (ctx.json) {
    ctx.out(JSON.stringify({ ...result, junit: junitFile, ...(attestation ? { attestation } : {}) }, null, 2));
    return;
  }
  for (const c of result.checks) ctx.out(`${c.status.padEnd(8)} ${c.name}: ${c.message}`);
  for (const s of result.steps.filter((x) => x.status !== 'ok')) ctx.out(`${s.status.padEnd(8)} ${s.phase}/${s.id}${s.message ? `: ${s.message}` : ''}`);
  ctx.out(`${result.ok ? 'passed' : 'FAILED'} ${result.bundle.releaseName}; JUnit ${junitFile}${attestation ? `; attested ${attestation}` : ''}${result.tornDown ? '' : '; clusters NOT torn down'}`);
}

/** Runs `fn` with a signal that SIGINT/SIGTERM abort (teardown still runs inside the stage). */
async function withSignals<T>(ctx: CliContext, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: string) => () => {
    ctx.log.warn(`${name} received: stopping the current step, then tearing down`);
    controller.abort(new Error(`${name} received`));
  };
  const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
  process.once('SIGINT', handlers.SIGINT);
  process.once('SIGTERM', handlers.SIGTERM);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
  }
}

async function readYaml(file: string): Promise<Record<string, unknown>> {
  const text = await fs.readFile(file, 'utf8').catch((error: unknown) => {
    throw new UserInputError('E2E_CLUSTER_MISSING', `cannot read ${file}`, { details: 'Pass the seed Cluster with --cluster FILE (default stacks/cluster-example.yaml).', cause: error });
  });
  const { parse: parseYaml } = await import('yaml');
  const value = parseYaml(text) as unknown;
  if (typeof value !== 'object' || value === null) throw new UserInputError('E2E_CLUSTER_INVALID', `${file} is not a YAML object`, { location: { file, line: 1, column: 1 }, details: 'Pass one Cluster document.' });
  return value as Record<string, unknown>;
}

/** --attest-result: sign and attach the result of a run that happened in another job. */
async function attestResult(ctx: CliContext, args: ParsedArgs, input: { file: string; layoutDir: string; releaseName: string }): Promise<number> {
  const signing = await signingMode(ctx, args);
  if (!signing) throw new UserInputError('CLI_BAD_ARGUMENTS', '--attest-result needs --key or --keyless', { details: 'The attestation is signed like the bundle\'s other attestations.' });
  const text = await fs.readFile(input.file, 'utf8').catch((error: unknown) => {
    throw new UserInputError('E2E_RESULT_MISSING', `cannot read ${input.file}`, { details: 'Pass the result.json csp e2e wrote into its work dir.', cause: error });
  });
  const result = JSON.parse(text) as E2eResult;
  if (result?.bundle?.releaseName !== input.releaseName || !Array.isArray(result.checks)) {
    throw new UserInputError('E2E_RESULT_INVALID', `${input.file} is not the result of a csp e2e run of ${input.releaseName}`, { location: { file: input.file }, details: 'Pass the result.json of this release.' });
  }
  const { attachE2eAttestation } = await import('../publish/index.js');
  const { digest } = await attachE2eAttestation({ layoutDir: input.layoutDir, releaseName: input.releaseName, result, signing, created: ctx.now().toISOString() });
  ctx.out(ctx.json ? JSON.stringify({ ok: true, releaseName: input.releaseName, attestation: digest }, null, 2) : `attested ${input.releaseName}: ${digest}`);
  return 0;
}

const exists = (p: string) => fs.stat(p).then(() => true, () => false);

export type { ParsedArgs };
