/**
 * One way to validate a rendered target of a stack and say where each problem is: template paths under the
 * stack's display folder, rendered output as `<render DIR k8s MINOR>/FILE`, and rendered lines mapped back to
 * the template line a person edits. `csp validate` and `csp build` both report through here, so a problem
 * has the same location in both.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TargetObjects, TargetValidation } from './index.js';
import { mapIssuesToTemplates } from './template-lines.js';
import type { RenderedObject } from './types.js';
import type { ValidationIssue } from './validate-objects.js';

/** Where the stack is: `dir` on disk (templates are read from it) and `displayDir` as issues name it. */
export interface StackPlace {
  dir: string;
  displayDir: string;
}

/** The target with display paths, the validation result, and its issues placed in the stack. */
export interface StackTargetValidation {
  target: TargetObjects;
  result: TargetValidation;
  issues: ValidationIssue[];
}

/**
 * Names every object's template by `displayDir/FILE` and its rendered output uniquely, recording each rendered
 * text in `texts` (display file → text) for line mapping.
 */
export function placeTarget(target: TargetObjects, stack: StackPlace, texts: Map<string, string>): TargetObjects {
  const prefix = `<render ${stack.displayDir} k8s ${target.kubernetes}>`;
  const fix = (o: RenderedObject): RenderedObject => {
    const source = { ...o.source, file: `${stack.displayDir}/${o.source.file}` };
    if (!o.rendered) return { ...o, source };
    const file = `${prefix}/${o.rendered.file ?? 'output.yaml'}`;
    texts.set(file, o.rendered.text);
    return { ...o, source, rendered: { ...o.rendered, file } };
  };
  const chart = <T extends { objects: RenderedObject[] }>(c: T): T => ({ ...c, objects: c.objects.map(fix) });
  return { ...target, clusterClass: chart(target.clusterClass), addons: target.addons.map(chart) };
}

/** Reads a template named `displayDir/FILE` from the stack folder; undefined when it is not a stack file. */
export function stackTemplateReader(stack: StackPlace): (file: string) => string | undefined {
  return (file) => {
    if (!file.startsWith(`${stack.displayDir}/`)) return undefined;
    const rel = file.slice(stack.displayDir.length + 1);
    if (path.isAbsolute(rel) || rel.split('/').includes('..')) return undefined;
    try {
      return fs.readFileSync(path.join(stack.dir, rel), 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** Places `target` in the stack, runs `validate` on it and maps its issues back to template lines. */
export function placeAndValidate(
  target: TargetObjects,
  stack: StackPlace,
  validate: (placed: TargetObjects) => TargetValidation,
  texts: Map<string, string> = new Map(),
): StackTargetValidation {
  const placed = placeTarget(target, stack, texts);
  const result = validate(placed);
  return { target: placed, result, issues: mapIssuesToTemplates(result.issues, texts, stackTemplateReader(stack)) };
}
