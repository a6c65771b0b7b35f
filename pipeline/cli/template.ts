/** `csp template CHART`: render a Helm chart in-process and print exactly what `helm template` prints. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { formatHelmTemplate, loadChart, parseValuesYaml, renderChart } from '../render/helm/index.js';
import { boolOpt, listOpt, stringOpt, type CommandSpec } from './command.js';

export const templateCommand: CommandSpec = {
  name: 'template',
  summary: 'Render a Helm chart (folder or .tgz) like helm template, without helm',
  usage: 'csp template CHART_DIR|CHART.tgz [--name NAME] [--namespace NS] [-f VALUES]... [--set K=V]... [--kube-version V] [--api-versions GV]... [--include-crds] [--seed S] [--json]',
  description: [
    'Loads the chart and its subcharts, merges values.yaml, each -f file (in order) and each --set expression',
    'like Helm 3.19, renders every template and prints the manifests sorted and formatted byte for byte as',
    '`helm template` does (hooks last, NOTES.txt skipped). --seed makes random and generated TLS material repeatable.',
    'With --json prints {chart, manifests:[{source, kind, name, content}], warnings}.',
  ].join('\n'),
  options: {
    name: { type: 'string', arg: 'NAME', description: 'Release name (default release-name).' },
    namespace: { type: 'string', short: 'n', arg: 'NS', description: 'Release namespace (default "default").' },
    values: { type: 'string', short: 'f', multiple: true, arg: 'FILE', description: 'Values file; later files win.' },
    set: { type: 'string', multiple: true, arg: 'K=V', description: 'Set values (Helm --set syntax: a.b=c, a={x,y}, a[0]=x).' },
    'set-string': { type: 'string', multiple: true, arg: 'K=V', description: 'Like --set, but every value stays a string.' },
    'kube-version': { type: 'string', arg: 'V', description: 'Kubernetes version for .Capabilities (default v1.34.0).' },
    'api-versions': { type: 'string', short: 'a', multiple: true, arg: 'GROUP/VERSION', description: 'Extra API versions for .Capabilities.APIVersions.Has.' },
    seed: { type: 'string', arg: 'SEED', description: 'Seed for random functions and generated keys (repeatable output).' },
    'include-crds': { type: 'boolean', description: 'Also print the charts\' crds/ files (first).' },
    'skip-schema-validation': { type: 'boolean', description: 'Do not check values against values.schema.json.' },
  },
  async run(ctx, args) {
    const [chartArg, ...extra] = args.positionals;
    if (!chartArg || extra.length > 0) {
      throw new UserInputError('CLI_BAD_ARGUMENTS', chartArg ? `unexpected arguments: ${extra.join(' ')}` : 'missing CHART argument', {
        details: `Usage: ${templateCommand.usage}`,
      });
    }
    const valueFiles = [];
    for (const file of listOpt(args, 'values')) {
      const abs = path.resolve(ctx.cwd, file);
      let text: string;
      try {
        text = await fs.readFile(abs, 'utf8');
      } catch {
        throw new UserInputError('HELM_VALUES_NOT_FOUND', `values file ${file} cannot be read`, { details: 'Pass an existing YAML file to -f.', location: { file } });
      }
      valueFiles.push({ file, values: parseValuesYaml(text, file) as Record<string, unknown> });
    }
    const chart = await loadChart(path.resolve(ctx.cwd, chartArg));
    const result = renderChart(chart, {
      releaseName: stringOpt(args, 'name') ?? 'release-name',
      namespace: stringOpt(args, 'namespace') ?? 'default',
      valueFiles,
      set: listOpt(args, 'set'),
      setString: listOpt(args, 'set-string'),
      kubeVersion: stringOpt(args, 'kube-version'),
      apiVersions: listOpt(args, 'api-versions'),
      seed: stringOpt(args, 'seed'),
      includeCrds: boolOpt(args, 'include-crds'),
      skipSchemaValidation: boolOpt(args, 'skip-schema-validation'),
    });
    for (const w of result.warnings ?? []) ctx.log.warn(w);
    if (ctx.json) ctx.out(JSON.stringify({ ok: true, ...result }, null, 2));
    else ctx.out(formatHelmTemplate(result).replace(/\n$/, ''));
    return 0;
  },
};
