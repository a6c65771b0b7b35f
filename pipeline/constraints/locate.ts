/** Finding places in a loaded stack: stack.yaml nodes, chart files, versions.yaml pins and the addon charts of components. */
import type { Location } from '../core/errors.js';
import { SCS_CHART_ALIASES, where } from '../stack/index.js';
import type { AddonChart, ChartDependency, ChartInfo, KubernetesTarget, Stack } from '../stack/index.js';

/** A stack file as shown to the user (the loader's display path). */
export function stackFile(stack: Stack, rel: string): string {
  return `${stack.displayDir}/${rel}`;
}

/** Position of a stack.yaml node by JSON pointer (nearest recorded ancestor when the key is absent). */
export function configAt(stack: Stack, pointer: string): Location {
  return where(stack.locations, stackFile(stack, 'stack.yaml'), pointer);
}

/** Position of a node in a chart's Chart.yaml. */
export function chartAt(stack: Stack, chart: ChartInfo, pointer: string): Location {
  return where(stack.locations, stackFile(stack, `${chart.path}/Chart.yaml`), pointer);
}

/** Position of a node in a chart's values.yaml. */
export function valuesAt(stack: Stack, chart: ChartInfo, pointer: string): Location {
  return where(stack.locations, stackFile(stack, `${chart.path}/values.yaml`), pointer);
}

/** Where the chart a dependency resolved to lives (vendored archive or cache), if it resolved. */
export function resolvedAt(stack: Stack, dep: ChartDependency): Location | undefined {
  if (!dep.resolved) return undefined;
  return { file: dep.resolved.source === 'vendored' ? stackFile(stack, dep.resolved.path) : dep.resolved.path };
}

/** The versions.yaml entry that pins `depName` for `target` (under any key the loader accepts), if there is one. */
export function pinAt(stack: Stack, target: KubernetesTarget, depName: string): Location | undefined {
  if (target.charts[depName] === undefined) return undefined;
  const file = target.location.file;
  const index = entryIndex(stack, target);
  if (index === undefined) return undefined;
  for (const key of pinKeys(stack, depName)) {
    const hit = stack.locations[`${file}#/${index}/${key}`];
    if (hit) return hit;
  }
  return undefined;
}

function entryIndex(stack: Stack, target: KubernetesTarget): string | undefined {
  const prefix = `${target.location.file}#/`;
  for (const [key, loc] of Object.entries(stack.locations)) {
    const m = /^(\d+)\/kubernetes$/.exec(key.startsWith(prefix) ? key.slice(prefix.length) : '');
    if (m && loc.line === target.location.line && loc.column === target.location.column) return m[1];
  }
  return undefined;
}

function pinKeys(stack: Stack, depName: string): string[] {
  const keys = new Set([depName]);
  for (const addon of stack.addons) {
    for (const dep of addon.dependencies) {
      if (dep.name !== depName) continue;
      if (dep.alias) keys.add(dep.alias);
      if (addon.dependencies.length === 1) keys.add(addon.addon);
    }
  }
  for (const [short, name] of Object.entries(SCS_CHART_ALIASES)) if (name === depName) keys.add(short);
  return [...keys];
}

/** The cluster-addon chart in folder `addonRef` (new convention), if the stack has it. */
export function findAddon(stack: Stack, addonRef: string): AddonChart | undefined {
  return stack.addons.find((a) => a.addon === addonRef);
}

/** A component's chart dependency: in its addon folder, else (old convention) in the umbrella chart by alias or name. */
export function findComponent(
  stack: Stack,
  addonRef: string | undefined,
  chartNames: readonly string[],
): { addon: AddonChart; dep: ChartDependency; index: number } | undefined {
  const inFolder = addonRef === undefined ? undefined : findAddon(stack, addonRef);
  const candidates = inFolder ? [inFolder] : stack.addons;
  for (const addon of candidates) {
    const index = addon.dependencies.findIndex((d) => chartNames.includes(d.name) || (d.alias !== undefined && d.alias === addonRef));
    const dep = addon.dependencies[index];
    if (dep) return { addon, dep, index };
  }
  return undefined;
}

/** The version a target uses for a dependency: versions.yaml pin, else Chart.yaml, else the resolved chart. */
export function depVersion(target: KubernetesTarget, dep: ChartDependency): string | undefined {
  return target.charts[dep.name] ?? dep.version ?? dep.resolved?.version;
}
