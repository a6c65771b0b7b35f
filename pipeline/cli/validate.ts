/** `csp validate STACK_DIR...`: render, then check every object, the ClusterClass and a topology dry-run. */
import fs from 'node:fs';
import path from 'node:path';
import { UserInputError, ValidationFailed, hasErrors, type Issue } from '../core/errors.js';
import type { Stack } from '../stack/index.js';
import type { MinorSchemas, RenderedObject, SchemaSet, StandardProvider, TargetObjects, TargetValidation } from '../validate/index.js';
import { boolOpt, listOpt, stringOpt, type CliContext, type CommandSpec } from './command.js';
import { countIssues, printIssues } from './report.js';
import { aliasOption, chartCacheDir, schemaCacheOpt, sharedOptions } from './options.js';

export const validateCommand: CommandSpec = {
  name: 'validate',
  summary: 'Validate rendered stacks before any cluster exists: CRD schemas, ClusterClass rules, topology dry-run',
  usage: 'csp validate [STACK_DIR...] [--k8s VERSION] [--crds DIR]... [--cluster FILE] [--standard] [--allow-unknown-kinds] [--rendered FILE]... [--json]',
  description: [
    'Renders each stack (as csp render), then checks every object against its schema: the committed schema catalog',
    '(schemas/catalog: the target minor\'s Kubernetes OpenAPI and the pinned providers\' CRDs, offline), to which the',
    'cache of csp schemas sync/import (.csp/schemas) and --crds add kinds or override them; the ClusterClass rules (refs,',
    'naming, variable schemas, patch selectors, operations, paths and templates) and a topology dry-run of a Cluster',
    '(--cluster FILE, else one generated from variable defaults and examples) through every patch, with the patched',
    'templates checked against their CRDs. --standard also checks the provider-independent variable interface, that',
    'stacks/cluster-example.yaml passes on every provider, and the standard storage classes and annotations.',
    '--rendered FILE validates already-rendered YAML (a cluster-class chart output) instead of rendering a stack.',
    'Issues point at the template line where the rendered line maps. --verbose prints the catalog\'s origin (versions,',
    'sha256 of its source documents). Exit 1 when any error is found.',
  ].join('\n'),
  options: {
    ...sharedOptions('k8s', 'schema-cache', 'chart-cache'),
    schemas: aliasOption('schemas'),
    crds: { type: 'string', multiple: true, arg: 'DIR', description: 'Folder or file with CRDs (recursive); repeatable.' },
    cluster: { type: 'string', arg: 'FILE', description: 'A Cluster to dry-run (its spec.topology.class must name the rendered class).' },
    standard: { type: 'boolean', description: 'Check the standard variables, example Cluster, storage classes and annotations across providers.' },
    example: { type: 'string', arg: 'FILE', description: 'Example Cluster for --standard (default stacks/cluster-example.yaml).' },
    'allow-unknown-kinds': { type: 'boolean', description: 'A kind without a schema is a warning instead of an error.' },
    rendered: { type: 'string', multiple: true, arg: 'FILE', description: 'Validate this rendered YAML instead of rendering stacks; repeatable.' },
  },
  async run(ctx, args) {
    // Stages load when the command runs, not for --help (see docs/performance.md).
    const [validate, { discoverStacks }] = await Promise.all([import('../validate/index.js'), import('../stack/index.js')]);
    const { mapIssuesToTemplates, validateStackTarget, validateTarget } = validate;
    const rendered = listOpt(args, 'rendered');
    // With --rendered, the CRDs are read on a worker thread while the rendered files are parsed here.
    const loading = buildCatalog(ctx, validate, schemaCacheOpt(args), listOpt(args, 'crds'), rendered.length > 0);
    const parsed: { objects: RenderedObject[]; issues: Issue[] }[] = [];
    let cluster: RenderedObject | undefined;
    try {
      cluster = readCluster(ctx, validate, stringOpt(args, 'cluster'));
      for (const file of rendered) parsed.push(readObjects(ctx, validate, file));
    } catch (error) {
      await loading; // a problem with the schemas is reported first, as before
      throw error;
    }
    const catalog = await loading;
    const issues: Issue[] = [...catalog.issues];
    const used = new Map<string, MinorSchemas>();
    const schemasFor = (minor: string | undefined): MinorSchemas => {
      const minorSchemas = catalog.set.forMinor(minor);
      for (const note of minorSchemas.issues) if (!issues.some((i) => i.code === note.code && i.message === note.message)) issues.push(note);
      used.set(minorSchemas.core.catalogMinor ?? '', minorSchemas);
      return minorSchemas;
    };
    const options = { allowUnknownKinds: boolOpt(args, 'allow-unknown-kinds'), cluster };
    const summaries: { stack: string; kubernetes: string; objects: number; items: number; errors: number; warnings: number }[] = [];
    for (const [index, file] of rendered.entries()) {
      const { objects, issues: parseIssues } = parsed[index] as { objects: RenderedObject[]; issues: Issue[] };
      issues.push(...parseIssues);
      const target: TargetObjects = { kubernetes: '', kubernetesVersion: '', clusterClass: { name: file, releaseName: '', chartVersion: '', objects }, addons: [] };
      const result = validateTarget(target, schemasFor(stringOpt(args, 'k8s')).catalog, options);
      issues.push(...result.issues);
      summaries.push({ stack: file, kubernetes: '-', objects: result.objects, items: result.items.length, ...count([...parseIssues, ...result.issues]) });
    }
    const dirs = args.positionals.length ? args.positionals.map((d) => path.resolve(ctx.cwd, d)) : rendered.length ? [] : await discoverStacks(path.join(ctx.cwd, 'stacks'));
    const standardGroups = new Map<string, StandardProvider[]>();
    const texts = new Map<string, string>();
    const stackIssues: { issue: Issue; target: string }[] = [];
    for (const dir of dirs) {
      const rendered = await renderOne(ctx, dir, stringOpt(args, 'k8s'), chartCacheDir(ctx.cwd, args));
      issues.push(...rendered.issues);
      const stack = rendered.stack;
      if (!stack) continue;
      for (const raw of rendered.targets) {
        const { target, result, issues: mapped } = validateStackTarget(raw, stack, schemasFor(raw.kubernetes).catalog, options, texts);
        stackIssues.push(...mapped.map((issue) => ({ issue, target: `k8s ${target.kubernetes}` })));
        summaries.push({ stack: stack.displayDir, kubernetes: target.kubernetes, objects: result.objects, items: result.items.length, ...count(mapped) });
        if (boolOpt(args, 'standard')) addProvider(standardGroups, stack, target, result);
      }
    }
    issues.push(...nameTargets(stackIssues));
    if (boolOpt(args, 'standard')) {
      const standard = await standardIssues(ctx, stringOpt(args, 'example'), standardGroups, schemasFor);
      issues.push(...mapIssuesToTemplates(standard, texts, (file) => templateText(ctx, file)));
    }
    const counts = countIssues(issues);
    // Problems of no single target (schemas, rendering, --standard) get their own line, so the lines add up.
    const perTarget = summaries.reduce((sum, s) => ({ errors: sum.errors + s.errors, warnings: sum.warnings + s.warnings }), { errors: 0, warnings: 0 });
    const other = { errors: counts.errors - perTarget.errors, warnings: counts.warnings - perTarget.warnings };
    printIssues(ctx, issues);
    const sets = [...used.values()].length ? [...used.values()] : [catalog.set.forMinor(stringOpt(args, 'k8s'))];
    const first = sets[0] as MinorSchemas;
    logCatalogOrigin(ctx, catalog.set);
    if (ctx.json) {
      const coreOf = (m: MinorSchemas) => ({ source: m.core.source, ...(m.core.catalogMinor ? { catalogMinor: m.core.catalogMinor } : {}), documents: m.core.documents.map((d) => path.relative(ctx.cwd, d) || d), openapiKinds: m.core.openapiKinds, builtInKinds: m.core.builtInKinds });
      ctx.out(JSON.stringify({ ok: counts.errors === 0, ...counts, schemas: first.catalog.versions.size, coreSchemas: coreOf(first), schemaSets: sets.map((m) => ({ schemas: m.catalog.versions.size, coreSchemas: coreOf(m) })), catalog: catalogSummary(catalog.set), targets: summaries, other, issues }, null, 2));
    } else {
      for (const m of sets) ctx.out(m.core.note);
      for (const s of summaries) ctx.out(`${s.errors ? 'FAIL' : 'ok  '} ${s.stack}${s.kubernetes !== '-' ? ` (k8s ${s.kubernetes})` : ''}: ${s.objects} objects, ${s.items} dry-run items, ${s.errors} errors, ${s.warnings} warnings`);
      if (other.errors || other.warnings) ctx.out(`${other.errors ? 'FAIL' : 'ok  '} other (schemas, rendering, standard checks): ${other.errors} errors, ${other.warnings} warnings`);
      ctx.out(`${counts.errors} errors, ${counts.warnings} warnings (${sets.map((m) => m.catalog.versions.size).join('/')} schemas)`);
    }
    return hasErrors(issues) ? 1 : 0;
  },
};

/** Each target's problems name the target ("[k8s 1.32.5]"): several targets often share a template line. */
function nameTargets(found: { issue: Issue; target: string }[]): Issue[] {
  return found.map(({ issue, target }) => ({ ...issue, message: `${issue.message} [${target}]` }));
}

function count(issues: readonly Issue[]): { errors: number; warnings: number } {
  const c = countIssues(issues);
  return { errors: c.errors, warnings: c.warnings };
}

type ValidateStage = typeof import('../validate/index.js');

async function buildCatalog(ctx: CliContext, stage: ValidateStage, schemasOpt: unknown, crds: string[], concurrent: boolean): Promise<{ set: SchemaSet; issues: Issue[] }> {
  const sources = stage.schemaSourcesOf(ctx.cwd, typeof schemasOpt === 'string' ? schemasOpt : undefined, crds);
  const set = await stage.loadSchemaSet(sources, { concurrent });
  const issues = set.issues.map((i) => (i.location ? { ...i, location: { ...i.location, file: path.relative(ctx.cwd, i.location.file) || i.location.file } } : i));
  return { set, issues };
}

/** The catalog's origin for --json and release records: digest, Kubernetes minors and provider versions. */
export function catalogSummary(set: SchemaSet): { digest: string; kubernetes: { minor: string; sha256: string }[]; providers: { name: string; version: string }[] } | undefined {
  const files = set.catalogFiles;
  if (!files) return undefined;
  return { digest: files.digest, kubernetes: files.origin.kubernetes.map((k) => ({ minor: k.minor, sha256: k.sha256 })), providers: files.origin.providers.map((p) => ({ name: p.name, version: p.version })) };
}

/** --verbose: where the catalog's schemas came from (versions and sha256 of every source document). */
export function logCatalogOrigin(ctx: CliContext, set: SchemaSet): void {
  const files = set.catalogFiles;
  if (!files) return;
  ctx.log.debug(`schema catalog ${path.relative(ctx.cwd, files.dir) || files.dir} (sha256:${files.digest})`);
  for (const k of files.origin.kubernetes) ctx.log.debug(`  Kubernetes ${k.minor}: ${k.source} sha256:${k.sha256} (${k.definitions} definitions, ${k.kinds} kinds)`);
  for (const p of files.origin.providers) {
    ctx.log.debug(`  ${p.name} ${p.version}: ${p.kinds} kinds`);
    for (const f of p.files) ctx.log.debug(`    ${f.name} sha256:${f.sha256}`);
  }
}

function readObjects(ctx: CliContext, stage: ValidateStage, file: string): { objects: RenderedObject[]; issues: Issue[] } {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(ctx.cwd, file), 'utf8');
  } catch {
    throw new UserInputError('FILE_MISSING', `cannot read ${file}`, { location: { file } });
  }
  return stage.objectsFromYaml(file, text);
}

function readCluster(ctx: CliContext, stage: ValidateStage, file: string | undefined): RenderedObject | undefined {
  if (!file) return undefined;
  const { objects, issues } = readObjects(ctx, stage, file);
  if (hasErrors(issues)) throw new ValidationFailed(issues, `${file} is not valid YAML`);
  const cluster = objects.find((o) => o.doc.kind === 'Cluster');
  if (!cluster) throw new UserInputError('CLUSTER_FILE_NO_CLUSTER', `${file} holds no Cluster object`, { location: { file, line: 1 }, details: 'See stacks/cluster-example.yaml.' });
  return cluster;
}

async function renderOne(ctx: CliContext, dir: string, k8s: string | undefined, chartCache: string): Promise<{ stack?: Stack; targets: TargetObjects[]; issues: Issue[] }> {
  const [{ renderStack }, { loadStack }] = await Promise.all([import('../render/index.js'), import('../stack/index.js')]);
  const chartCacheDir = chartCache;
  const loaded = await loadStack(dir, { cwd: ctx.cwd, chartCacheDir });
  const errors = loaded.issues.filter((i) => i.severity === 'error');
  if (!loaded.stack || errors.length) return { targets: [], issues: errors.length ? errors : loaded.issues };
  try {
    const targets = await renderStack(loaded.stack, { k8s, chartCacheDir, cwd: ctx.cwd, now: ctx.now() });
    return { stack: loaded.stack, targets, issues: targets.flatMap((t) => t.issues) };
  } catch (e) {
    if (e instanceof ValidationFailed) return { targets: [], issues: e.issues };
    throw e;
  }
}

function templateText(ctx: CliContext, file: string): string | undefined {
  try {
    return fs.readFileSync(path.resolve(ctx.cwd, file), 'utf8');
  } catch {
    return undefined;
  }
}

function addProvider(groups: Map<string, StandardProvider[]>, stack: Stack, target: TargetObjects, result: TargetValidation): void {
  if (!result.model || !result.variables) return;
  const key = `${stack.name}/${target.kubernetes}`;
  const list = groups.get(key) ?? [];
  list.push({
    provider: stack.provider,
    model: result.model,
    variables: result.variables,
    classObjects: target.clusterClass.objects,
    addonObjects: target.addons.flatMap((a) => a.objects),
    ...(stack.config?.standard ? { standard: stack.config.standard } : {}),
    loadBalancers: stack.config?.provider.capabilities.loadBalancers ?? [],
    // Storage classes can only be checked when the CSI addon rendered (its chart may be missing from the cache).
    hasCsi: Boolean(stack.config?.kubernetesCore.csi) && target.addons.some((a) => a.name === stack.config?.kubernetesCore.csi?.addon),
    stackFile: `${stack.displayDir}/stack.yaml`,
    locations: stack.locations,
  });
  groups.set(key, list);
}

async function standardIssues(ctx: CliContext, exampleFile: string | undefined, groups: Map<string, StandardProvider[]>, schemasFor: (minor: string) => MinorSchemas): Promise<Issue[]> {
  const stage = await import('../validate/index.js');
  const { checkStandard } = stage;
  const file = exampleFile ?? 'stacks/cluster-example.yaml';
  const example = fs.existsSync(path.resolve(ctx.cwd, file)) ? readCluster(ctx, stage, file) : undefined;
  const issues: Issue[] = [];
  if (!example) issues.push({ severity: 'warning', code: 'STANDARD_NO_EXAMPLE', message: `${file} not found: the example Cluster dry-run is skipped`, hint: 'Pass --example FILE.' });
  for (const [key, providers] of groups) issues.push(...checkStandard({ providers, ...(example ? { example } : {}), catalog: schemasFor(key.slice(key.lastIndexOf('/') + 1)).catalog }));
  return issues;
}
