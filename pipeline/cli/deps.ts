/** `csp deps [STACK_DIR...]`: fetch the upstream charts addon charts depend on into the chart cache. */
import path from 'node:path';
import { UserInputError, ValidationFailed, hasErrors } from '../core/errors.js';
import type { Stack } from '../stack/index.js';
import { boolOpt, listOpt, type CommandSpec } from './command.js';
import { printIssues } from './report.js';
import { aliasOption, chartCacheDir, sharedOptions } from './options.js';

export const depsCommand: CommandSpec = {
  name: 'deps',
  summary: 'Fetch the charts addon charts depend on into the local chart cache (like helm dependency build)',
  usage: 'csp deps [STACK_DIR...] [--chart-cache DIR] [--from DIR]... [--mirror FROM=TO]... [--dry-run] [--json]',
  description: [
    'Reads Chart.yaml dependencies of every cluster-addon chart, for every Kubernetes version in versions.yaml,',
    'downloads each chart from its repository (checked against the repository index.yaml digest and any',
    'digest pinned in Chart.lock) and stores it by digest in the cache. Vendored charts/ are used as they are.',
  ].join('\n'),
  options: {
    ...sharedOptions('chart-cache'),
    cache: aliasOption('cache'),
    mirror: { type: 'string', multiple: true, arg: 'FROM=TO', description: 'Fetch from TO instead of repository FROM.' },
    from: { type: 'string', multiple: true, arg: 'DIR', description: 'Take charts from a folder of chart archives (*.tgz) before any repository (air-gapped machines).' },
    'dry-run': { type: 'boolean', description: 'Only say what would be downloaded.' },
  },
  async run(ctx, args) {
    const [{ fetchCharts, planChartRequests }, { discoverStacks, loadStack }] = await Promise.all([import('../deps/index.js'), import('../stack/index.js')]);
    const dirs = args.positionals.length ? args.positionals.map((d) => path.resolve(ctx.cwd, d)) : await discoverStacks(path.join(ctx.cwd, 'stacks'));
    const cacheDir = chartCacheDir(ctx.cwd, args);
    const mirrors: Record<string, string> = {};
    for (const rule of listOpt(args, 'mirror')) {
      const eq = rule.indexOf('=');
      if (eq <= 0) throw new UserInputError('CLI_BAD_MIRROR', `--mirror ${rule} is not FROM=TO`, { details: 'Example: --mirror https://helm.cilium.io/=https://charts.example.org/cilium/' });
      mirrors[rule.slice(0, eq)] = rule.slice(eq + 1);
    }
    const stacks: Stack[] = [];
    const loadIssues = [];
    for (const dir of dirs) {
      const loaded = await loadStack(dir, { cwd: ctx.cwd });
      loadIssues.push(...loaded.issues.filter((i) => i.severity === 'error'));
      if (loaded.stack) stacks.push(loaded.stack);
    }
    if (hasErrors(loadIssues)) throw new ValidationFailed(loadIssues, 'stacks have errors; run csp lint');
    const requests = planChartRequests(stacks);
    const localDirs = listOpt(args, 'from').map((d) => path.resolve(ctx.cwd, d));
    const result = await fetchCharts({ requests, cacheDir, mirrors, localDirs, dryRun: boolOpt(args, 'dry-run') }, ctx);
    printIssues(ctx, result.issues);
    if (ctx.json) {
      ctx.out(JSON.stringify({ ok: !hasErrors(result.issues), cacheDir, charts: result.charts, issues: result.issues }, null, 2));
    } else {
      for (const c of result.charts) ctx.out(`${c.action.padEnd(14)} ${c.name} ${c.version} ${c.digest}`);
      ctx.out(`${result.charts.length} charts resolved into ${path.relative(ctx.cwd, cacheDir) || '.'}${result.issues.length ? `, ${result.issues.length} problems` : ''}`);
    }
    return hasErrors(result.issues) ? 1 : 0;
  },
};
