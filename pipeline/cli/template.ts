/** `csp template CHART`: render a Helm chart in-process and print exactly what `helm template` prints. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { SetFileRead } from '../render/index.js';
import { boolOpt, listOpt, stringOpt, type CommandSpec } from './command.js';

export const templateCommand: CommandSpec = {
  name: 'template',
  summary: 'Render a Helm chart (folder or .tgz) like helm template, without helm',
  usage:
    'csp template CHART_DIR|CHART.tgz [--name NAME] [--namespace NS] [-f VALUES]... [--set-json K=JSON]... [--set K=V]... [--set-string K=V]... [--set-file K=PATH]... [--set-literal K=V]... [--show-only TEMPLATE]... [--kube-version V] [--api-versions GV]... [--include-crds] [--seed S] [--json]',
  description: [
    'Loads the chart and its subcharts, merges values.yaml with the user values in Helm 3.19\'s order (each -f file,',
    'then --set-json, --set, --set-string, --set-file, --set-literal; later wins), renders every template and prints',
    'the manifests sorted and formatted byte for byte as `helm template` does (hooks last, NOTES.txt skipped).',
    '--show-only keeps the documents whose "# Source:" path below the chart folder matches (globs as filepath.Match).',
    '--seed makes random and generated TLS material repeatable.',
    'With --json prints {chart, manifests:[{source, kind, name, content}], warnings}.',
  ].join('\n'),
  options: {
    name: { type: 'string', arg: 'NAME', description: 'Release name (default release-name).' },
    namespace: { type: 'string', short: 'n', arg: 'NS', description: 'Release namespace (default "default").' },
    values: { type: 'string', short: 'f', multiple: true, arg: 'FILE', description: 'Values file; later files win.' },
    set: { type: 'string', multiple: true, arg: 'K=V', description: 'Set values (Helm --set syntax: a.b=c, a={x,y}, a[0]=x).' },
    'set-string': { type: 'string', multiple: true, arg: 'K=V', description: 'Like --set, but every value stays a string.' },
    'set-json': { type: 'string', multiple: true, arg: 'K=JSON', description: 'Set JSON values (a.b=[1,2],c={"x":1}) or merge one JSON object ({"a":{"b":1}}).' },
    'set-file': { type: 'string', multiple: true, arg: 'K=PATH', description: 'Set values to the contents of files (a.b=path/to/file).' },
    'set-literal': { type: 'string', multiple: true, arg: 'K=V', description: 'Set one string value taken literally (commas, = and backslashes kept).' },
    'show-only': { type: 'string', short: 's', multiple: true, arg: 'TEMPLATE', description: 'Only print documents from these templates (e.g. templates/cm.yaml, templates/*.yaml).' },
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
    const { filterShowOnly, formatHelmTemplate, loadChart, parseValuesYaml, renderChart, selectShowOnly, setFilePaths } = await import('../render/index.js');
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
    const setFile = listOpt(args, 'set-file');
    const setFileData: Record<string, SetFileRead> = {};
    for (const p of setFilePaths(setFile)) setFileData[p] = await readSetFile(ctx.cwd, p);
    const chart = await loadChart(path.resolve(ctx.cwd, chartArg));
    const result = renderChart(chart, {
      releaseName: stringOpt(args, 'name') ?? 'release-name',
      namespace: stringOpt(args, 'namespace') ?? 'default',
      valueFiles,
      set: listOpt(args, 'set'),
      setString: listOpt(args, 'set-string'),
      setJson: listOpt(args, 'set-json'),
      setFile,
      setFileData,
      setLiteral: listOpt(args, 'set-literal'),
      kubeVersion: stringOpt(args, 'kube-version'),
      apiVersions: listOpt(args, 'api-versions'),
      seed: stringOpt(args, 'seed'),
      includeCrds: boolOpt(args, 'include-crds'),
      skipSchemaValidation: boolOpt(args, 'skip-schema-validation'),
    });
    for (const w of result.warnings ?? []) ctx.log.warn(w);
    const showOnly = listOpt(args, 'show-only');
    if (ctx.json) {
      const manifests = showOnly.length > 0 ? filterShowOnly(result.manifests, showOnly) : result.manifests;
      ctx.out(JSON.stringify({ ok: true, ...result, manifests }, null, 2));
    } else {
      const text = formatHelmTemplate(result);
      ctx.out((showOnly.length > 0 ? selectShowOnly(text, showOnly) : text).replace(/\n$/, ''));
    }
    return 0;
  },
};

/** Go's os.ReadFile error texts for the usual failures. */
const READ_ERRORS: Record<string, [string, string]> = {
  ENOENT: ['open', 'no such file or directory'],
  EACCES: ['open', 'permission denied'],
  ENOTDIR: ['open', 'not a directory'],
  EISDIR: ['read', 'is a directory'],
};

/** readFile of options.go for one --set-file path (relative to the working directory); errors as Helm words them. */
async function readSetFile(cwd: string, file: string): Promise<SetFileRead> {
  const { setFileSource } = await import('../render/index.js');
  const source = setFileSource(file);
  if (source.kind === 'error') return { error: source.error };
  if (source.kind === 'stdin') return { error: 'csp template does not read --set-file values from stdin ("-"); pass a file path' };
  if (source.kind === 'url') return { error: `csp template does not download --set-file values (${file}); pass a local file` };
  try {
    return { content: await fs.readFile(path.resolve(cwd, file), 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    const [op, text] = READ_ERRORS[code] ?? ['open', (e as Error).message];
    return { error: `${op} ${file}: ${text}` };
  }
}
