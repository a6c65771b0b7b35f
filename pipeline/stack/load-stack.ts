/** `loadStack`: reads one stack folder into the Stack model and reports every problem found on the way. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Issue, Location } from '../core/errors.js';
import { checkSchema } from '../core/schema.js';
import { readYamlFile, type SourceFile } from '../core/source.js';
import { loadChartInfo, type LoadContext } from './load-chart.js';
import { collectLocations, where } from './locations.js';
import { loadTargets } from './targets.js';
import type { AddonChart, AddonStage, Stack, StackConfig } from './types.js';
import { walkStack } from './walk.js';

export interface LoadStackOptions {
  /** Folder paths are shown relative to this (default: process working directory given by the CLI). */
  cwd: string;
  chartCacheDir?: string;
}

export interface LoadStackResult {
  stack?: Stack;
  issues: Issue[];
}

/** Loads the stack in `dir`. Never throws for problems in the stack: they come back as issues. */
export async function loadStack(dir: string, options: LoadStackOptions): Promise<LoadStackResult> {
  const root = path.resolve(options.cwd, dir);
  const shownRoot = showPath(options.cwd, root);
  const display = (rel: string): string => (rel ? `${shownRoot}/${rel}` : shownRoot);
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) {
    return { issues: [{ severity: 'error', code: 'STACK_NOT_FOUND', message: `${shownRoot} is not a folder`, hint: 'Pass the folder of a stack (it holds csctl.yaml).', location: { file: shownRoot } }] };
  }
  const walked = await walkStack(root, display);
  const ctx: LoadContext = { root, display, files: walked.files, locations: {}, issues: [...walked.issues], chartCacheDir: options.chartCacheDir };

  const csctl = await loadYaml('csctl.yaml', 'csctl.schema.json', ctx, true);
  const config = await loadYaml('stack.yaml', 'stack.schema.json', ctx, false);
  const hasClusterClass = ctx.files.some((f) => f.startsWith('cluster-class/'));
  if (!hasClusterClass) {
    ctx.issues.push({ severity: 'error', code: 'CLUSTER_CLASS_MISSING', message: `${display('cluster-class')}/ is missing`, hint: 'A stack needs a cluster-class/ Helm chart holding the ClusterClass and its templates.', location: { file: shownRoot } });
  }
  const clusterClass = hasClusterClass ? await loadChartInfo('cluster-class', ctx) : undefined;
  const { addons, convention } = await loadAddons(ctx);
  const stages = await loadStages(ctx);
  const addonValues = await loadValuesString('cluster-addon-values.yaml', ctx);
  for (const addon of addons) addon.overwrite = await loadValuesString(`cluster-addon/${addon.addon}/overwrite.yaml`, ctx);

  if (!csctl || !clusterClass) return { issues: ctx.issues };
  const csctlConfig = (csctl.value as { config: { kubernetesVersion: string; clusterStackName: string; provider: { type: string } } }).config;
  const stackConfig = config?.value as StackConfig | undefined;
  const kubernetesVersion = csctlConfig.kubernetesVersion.replace(/^v/, '');
  const targets = await loadTargets({ ctx, addons, kubernetesVersion, csctlFile: csctl.file });

  checkStages(stages, addons, convention, addonValues, ctx);
  checkNames(csctl, stackConfig, root, ctx);

  const stack: Stack = {
    dir: root,
    displayDir: shownRoot,
    provider: csctlConfig.provider.type,
    name: csctlConfig.clusterStackName,
    kubernetesVersion,
    targets,
    config: stackConfig,
    clusterClass,
    addonConvention: convention,
    addons,
    stages,
    addonValues,
    files: walked.files,
    locations: ctx.locations,
  };
  if (!config) {
    ctx.issues.push({
      severity: 'note',
      code: 'STACK_YAML_ABSENT',
      message: `${display('stack.yaml')} is absent: cross-layer rules that need the layer choices are skipped`,
      hint: 'Add a stack.yaml (schemas/stack.schema.json) to have node image, cluster state and core choices checked against each other.',
      location: { file: shownRoot },
    });
  }
  return { stack, issues: ctx.issues };
}

async function loadYaml(rel: string, schema: string, ctx: LoadContext, required: boolean): Promise<SourceFile | undefined> {
  if (!ctx.files.includes(rel)) {
    if (required) {
      ctx.issues.push({ severity: 'error', code: 'FILE_MISSING', message: `${ctx.display(rel)} is missing`, hint: rel === 'csctl.yaml' ? 'Every stack needs csctl.yaml (config.kubernetesVersion, clusterStackName, provider).' : undefined, location: { file: ctx.display('') } });
    }
    return undefined;
  }
  const { source, issues } = await readYamlFile(path.join(ctx.root, rel), ctx.display(rel));
  ctx.issues.push(...issues);
  if (!source) return undefined;
  collectLocations(source, ctx.locations);
  const schemaIssues = checkSchema(source, schema);
  ctx.issues.push(...schemaIssues);
  return schemaIssues.some((i) => i.severity === 'error') ? undefined : source;
}

async function loadAddons(ctx: LoadContext): Promise<{ addons: AddonChart[]; convention: 'new' | 'old' }> {
  const convention = ctx.files.includes('clusteraddon.yaml') ? 'new' : 'old';
  const addons: AddonChart[] = [];
  if (convention === 'old') {
    if (!ctx.files.some((f) => f.startsWith('cluster-addon/'))) return { addons, convention };
    const info = await loadChartInfo('cluster-addon', ctx);
    if (info) addons.push({ ...info, addon: 'cluster-addon' });
    return { addons, convention };
  }
  const folders = new Set<string>();
  for (const f of ctx.files) {
    const m = /^cluster-addon\/([^/]+)\//.exec(f);
    if (m?.[1]) folders.add(m[1]);
  }
  for (const folder of [...folders].sort()) {
    const info = await loadChartInfo(`cluster-addon/${folder}`, ctx);
    if (info) addons.push({ ...info, addon: folder });
  }
  return { addons, convention };
}

async function loadStages(ctx: LoadContext): Promise<AddonStage[]> {
  const source = await loadYaml('clusteraddon.yaml', 'clusteraddon.schema.json', ctx, false);
  if (!source) return [];
  const doc = source.value as { addonStages: Record<string, { name: string; action: 'apply' | 'delete' }[]> };
  const stages: AddonStage[] = [];
  for (const [hook, list] of Object.entries(doc.addonStages)) {
    list.forEach((s, i) => stages.push({ ...s, hook: hook as AddonStage['hook'], location: where(ctx.locations, source.file, `/addonStages/${hook}/${i}/name`) }));
  }
  return stages;
}

async function loadValuesString(rel: string, ctx: LoadContext): Promise<string | undefined> {
  const source = await loadYaml(rel, 'addon-values.schema.json', ctx, false);
  return source ? (source.value as { values: string }).values : undefined;
}

function checkStages(stages: AddonStage[], addons: AddonChart[], convention: 'new' | 'old', addonValues: string | undefined, ctx: LoadContext): void {
  const names = new Set(addons.map((a) => a.addon));
  for (const stage of stages) {
    if (!names.has(stage.name)) {
      ctx.issues.push({
        severity: 'warning',
        code: 'ADDON_STAGE_WITHOUT_CHART',
        message: `clusteraddon.yaml stage "${stage.name}" (${stage.hook}) has no chart folder cluster-addon/${stage.name}/, so CSO skips this stage`,
        hint: `CSO's executeStage (internal/controller/clusteraddon_controller.go) only sets the HelmChartMissing condition and goes on. Add cluster-addon/${stage.name}/ or fix the name; folders: ${[...names].join(', ') || 'none'}.`,
        location: stage.location,
      });
    }
  }
  if (convention === 'old' && addons.length > 0 && !ctx.files.includes('cluster-addon-values.yaml')) {
    // CSO's old-convention apply reads it unconditionally (buildTemplateFromClusterAddonValues: "failed to read the
    // file"), and csctl's generateRelease (pkg/cmd/create.go) fails with "failed to read cluster-addon-values.yaml".
    ctx.issues.push({
      severity: 'error',
      code: 'ADDON_VALUES_MISSING',
      message: 'cluster-addon/ is a single chart (old convention, no clusteraddon.yaml) but cluster-addon-values.yaml is missing',
      hint: 'Add cluster-addon-values.yaml with "values: |" and the chart values (may be empty: values: ""), or switch to the new convention with clusteraddon.yaml.',
      location: { file: ctx.display('cluster-addon/Chart.yaml'), line: 1, column: 1 },
    });
  }
  if (convention === 'new') {
    const staged = new Set(stages.map((s) => s.name));
    for (const addon of addons) {
      if (!staged.has(addon.addon)) {
        ctx.issues.push({
          severity: 'warning',
          code: 'ADDON_CHART_NOT_STAGED',
          message: `cluster-addon/${addon.addon}/ is not named by any stage in clusteraddon.yaml, so CSO never installs it`,
          hint: `Add "- name: ${addon.addon}\n  action: apply" to addonStages, or remove the folder.`,
          location: { file: ctx.display(`cluster-addon/${addon.addon}/Chart.yaml`), line: 1, column: 1 },
        });
      }
    }
    if (addonValues !== undefined) {
      ctx.issues.push({
        severity: 'warning',
        code: 'ADDON_VALUES_IGNORED',
        message: 'cluster-addon-values.yaml is ignored by CSO because clusteraddon.yaml selects the new convention',
        hint: 'Move its values into cluster-addon/<chart>/overwrite.yaml of the chart they belong to.',
        location: where(ctx.locations, ctx.display('cluster-addon-values.yaml'), '/values'),
      });
    }
  }
}

function checkNames(csctl: SourceFile, config: StackConfig | undefined, root: string, ctx: LoadContext): void {
  const c = (csctl.value as { config: { clusterStackName: string; provider: { type: string } } }).config;
  const folderName = path.basename(root);
  const folderProvider = path.basename(path.dirname(root));
  if (folderName !== c.clusterStackName || folderProvider !== c.provider.type) {
    ctx.issues.push({
      severity: 'warning',
      code: 'STACK_PATH_MISMATCH',
      message: `stack folder ${folderProvider}/${folderName} does not match csctl.yaml (${c.provider.type}/${c.clusterStackName})`,
      hint: 'Keep stacks in stacks/<provider>/<clusterStackName>/ so people and tools find them.',
      location: where(ctx.locations, csctl.file, '/config/clusterStackName'),
    });
  }
  if (config && config.provider.name !== c.provider.type) {
    const loc: Location = where(ctx.locations, ctx.display('stack.yaml'), '/provider/name');
    ctx.issues.push({
      severity: 'error',
      code: 'STACK_PROVIDER_MISMATCH',
      message: `stack.yaml provider.name "${config.provider.name}" differs from csctl.yaml provider type "${c.provider.type}"`,
      hint: 'Use the same provider name in both files.',
      location: loc,
      related: [where(ctx.locations, csctl.file, '/config/provider/type')],
    });
  }
}

/** A path as the user should see it: relative to cwd when inside it, absolute otherwise. */
export function showPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return rel === '' ? '.' : path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}
