/** `csp render STACK_DIR`: render the cluster-class and cluster-addon charts of a stack as CSO would. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { isSafeSegment, replaceOutputDir, unsafeSegmentIssue } from '../core/paths.js';
import { UserInputError, ValidationFailed, hasErrors } from '../core/errors.js';
import type { RenderedStackTarget } from '../render/index.js';
import type { CsoTemplateData } from '../render/index.js';
import { listOpt, stringOpt, type CliContext, type CommandSpec } from './command.js';
import { printIssues } from './report.js';
import { chartCacheDir as chartCacheOf, sharedOptions } from './options.js';

export const renderCommand: CommandSpec = {
  name: 'render',
  summary: 'Render the cluster-class and cluster-addon charts of a stack as CSO would (like helm template)',
  usage: 'csp render STACK_DIR [--k8s VERSION] [--version V] [-f FILE]... [--cluster FILE] [--out DIR] [--json]',
  description: [
    'Applies csctl\'s << .ClusterClassVersion >> substitution, renders the cluster-class chart with the Helm release',
    'name <provider>-<stack>-<major>-<minor> and chart version = the cluster-stack version (default: csctl\'s hash-mode',
    'version v0-sha.<hash> of each target, as csp build --mode hash releases it), and each cluster-addon chart as release cluster-addon in kube-system with the values of',
    'overwrite.yaml (or cluster-addon-values.yaml) templated against a Cluster (--cluster, default a sample Cluster).',
    'Without --out the rendered YAML goes to stdout; with --out: OUT/cluster-class.yaml and OUT/cluster-addon/<name>.yaml,',
    'under OUT/<minor>/ when several Kubernetes targets are rendered. Exit 1 on a template or stack problem.',
  ].join('\n'),
  options: {
    ...sharedOptions('k8s', 'values', 'out', 'chart-cache'),
    version: { type: 'string', arg: 'V', description: 'Cluster-stack version in dot form, e.g. v1 or v0-sha.abc1234.' },
    cluster: { type: 'string', arg: 'FILE', description: 'YAML with a Cluster (and its control plane / infra objects) for CSO values templating.' },
    namespace: { type: 'string', arg: 'NS', description: 'Namespace of the ClusterStack (cluster-class objects), default "default".' },
    seed: { type: 'string', arg: 'SEED', description: 'Seed for random functions and generated keys (repeatable output).' },
  },
  async run(ctx, args) {
    const [dir, ...extra] = args.positionals;
    if (!dir || extra.length) {
      throw new UserInputError('CLI_BAD_ARGUMENTS', 'csp render takes exactly one STACK_DIR', { details: `Usage: ${renderCommand.usage}` });
    }
    const [{ renderStack }, { loadStack }] = await Promise.all([import('../render/index.js'), import('../stack/index.js')]);
    const chartCacheDir = chartCacheOf(ctx.cwd, args);
    const loaded = await loadStack(path.resolve(ctx.cwd, dir), { cwd: ctx.cwd, chartCacheDir });
    const loadErrors = loaded.issues.filter((i) => i.severity === 'error');
    if (!loaded.stack || hasErrors(loadErrors)) throw new ValidationFailed(loadErrors, 'the stack has errors; run csp lint');
    const clusterFile = stringOpt(args, 'cluster');
    const targets = await renderStack(loaded.stack, {
      k8s: stringOpt(args, 'k8s'),
      version: stringOpt(args, 'version'),
      valuesFiles: listOpt(args, 'values'),
      seed: stringOpt(args, 'seed'),
      namespace: stringOpt(args, 'namespace'),
      cluster: clusterFile ? await readCluster(ctx.cwd, clusterFile) : undefined,
      now: ctx.now(),
      chartCacheDir,
      cwd: ctx.cwd,
    });
    const issues = targets.flatMap((t) => t.issues);
    printIssues(ctx, issues);
    const outDir = stringOpt(args, 'out');
    const written = outDir ? await writeOut(path.resolve(ctx.cwd, outDir), targets) : [];
    if (ctx.json) {
      ctx.out(JSON.stringify({ ok: !hasErrors(issues), stack: loaded.stack.displayDir, written: written.map((f) => path.relative(ctx.cwd, f)), targets: targets.map(summary), issues }, null, 2));
    } else if (outDir) {
      for (const f of written) ctx.out(`wrote ${path.relative(ctx.cwd, f)}`);
    } else {
      printTargets(ctx, targets);
    }
    return hasErrors(issues) ? 1 : 0;
  },
};

function summary(t: RenderedStackTarget) {
  const chart = (c: RenderedStackTarget['clusterClass']) => ({ name: c.name, chart: `${c.chartName}-${c.chartVersion}`, releaseName: c.releaseName, namespace: c.namespace, objects: c.objects.length });
  return { kubernetes: t.kubernetes, kubernetesVersion: t.kubernetesVersion, version: t.version, clusterClass: chart(t.clusterClass), addons: t.addons.map(chart) };
}

function printTargets(ctx: CliContext, targets: RenderedStackTarget[]): void {
  for (const t of targets) {
    for (const chart of [t.clusterClass, ...t.addons]) {
      ctx.out(`# csp render: Kubernetes ${t.kubernetesVersion}, ${chart.name} (release ${chart.releaseName}, chart ${chart.chartName}-${chart.chartVersion})`);
      ctx.out(chart.text.replace(/\n$/, ''));
    }
  }
}

/**
 * OUT/cluster-class.yaml and OUT/cluster-addon/<name>.yaml, under OUT/<minor>/ for several targets;
 * all or nothing (temporary folder, then one rename), never through a link.
 */
async function writeOut(outDir: string, targets: RenderedStackTarget[]): Promise<string[]> {
  const files: { path: string; data: string }[] = [];
  for (const t of targets) {
    const base = targets.length > 1 ? `${t.kubernetes}/` : '';
    for (const chart of [t.clusterClass, ...t.addons]) {
      if (!isSafeSegment(chart.name)) throw new ValidationFailed([unsafeSegmentIssue('chart name', chart.name)]);
      files.push({ path: chart.name === 'cluster-class' ? `${base}cluster-class.yaml` : `${base}cluster-addon/${chart.name}.yaml`, data: chart.text });
    }
  }
  await replaceOutputDir(outDir, files);
  return files.map((f) => path.join(outDir, ...f.path.split('/')));
}

async function readCluster(cwd: string, file: string): Promise<CsoTemplateData> {
  const text = await fs.readFile(path.resolve(cwd, file), 'utf8').catch(() => {
    throw new UserInputError('RENDER_CLUSTER_FILE_MISSING', `cannot read ${file}`, { details: 'Pass a YAML file holding a cluster.x-k8s.io Cluster with --cluster.', location: { file } });
  });
  const [{ parseYamlStream }, { clusterFromDocuments }] = await Promise.all([import('../core/source.js'), import('../render/index.js')]);
  const parsed = parseYamlStream(file, text);
  if (parsed.issues.length > 0) throw new ValidationFailed(parsed.issues, `${file} is not valid YAML`);
  const docs = parsed.values.filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object' && !Array.isArray(d));
  const found = clusterFromDocuments(docs);
  if (!found) {
    throw new UserInputError('RENDER_CLUSTER_MISSING', `${file} holds no object of kind Cluster`, { details: 'CSO templates addon values against the Cluster; add one (see stacks/cluster-example.yaml).', location: { file, line: 1, column: 1 } });
  }
  return found;
}
