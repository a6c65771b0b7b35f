/**
 * `bumpUpstream`: check, then write the allowed updates into the stack files in place (or only show them
 * with dryRun). Nothing is written unless every source answered and every edit could be planned.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { InternalError } from '../core/errors.js';
import { unifiedDiff } from './diff.js';
import { planEdits } from './edit.js';
import { checkUpstream, type CheckUpstreamInput, type WatchDeps } from './run-check.js';
import type { CheckResult, StackReport } from './types.js';

export interface BumpUpstreamInput extends CheckUpstreamInput {
  dryRun?: boolean;
  /** Only these stack lines (provider/stack/minor); default all. */
  lines?: string[];
  /** Keep the new file texts in the result (pull requests need them; the CLI's JSON does not). */
  keepTexts?: boolean;
}

export interface StackBump {
  stack: string;
  dir: string;
  /** Relative path → unified diff, for every file that changes. */
  files: Record<string, string>;
  /** Stack lines that moved. */
  lines: string[];
  /** Relative path → new text, for every file that changes. */
  texts: Record<string, string>;
}

export interface BumpResult extends CheckResult {
  bumps: StackBump[];
  diff: string;
  dryRun: boolean;
}

/** Applies the allowed updates of every stack; returns the diffs and the check it was based on. */
export async function bumpUpstream(input: BumpUpstreamInput, deps: WatchDeps): Promise<BumpResult> {
  const check = await checkUpstream(input, deps);
  const planned: { bump: StackBump; texts: Record<string, string> }[] = [];
  for (const [i, stack] of check.loaded.entries()) {
    const report = onlyLines(check.stacks[i]!, input.lines);
    let texts: Record<string, string>;
    try {
      texts = planEdits(stack, report, (rel) => fs.readFileSync(path.join(stack.dir, rel), 'utf8'));
    } catch (error) {
      throw new InternalError('WATCH_EDIT_FAILED', `cannot edit ${stack.displayDir}: ${(error as Error).message}`, { cause: error, details: 'This is a bug: no file was changed. Report it with the stack files.' });
    }
    const files: Record<string, string> = {};
    for (const [rel, text] of Object.entries(texts)) files[rel] = unifiedDiff(path.join(stack.displayDir, rel), fs.readFileSync(path.join(stack.dir, rel), 'utf8'), text);
    planned.push({ bump: { stack: stack.displayDir, dir: stack.dir, files, lines: report.targets.filter((t) => t.update && !t.proposal).map((t) => t.line), texts }, texts });
  }
  if (!input.dryRun) {
    for (const { bump, texts } of planned) {
      for (const [rel, text] of Object.entries(texts)) {
        const file = path.join(bump.dir, rel);
        const tmp = `${file}.csp-${process.pid}.tmp`;
        await fsp.writeFile(tmp, text);
        await fsp.rename(tmp, file);
      }
    }
  }
  const { loaded: _loaded, ...result } = check;
  const bumps = planned.map((p) => p.bump);
  if (input.keepTexts !== true) for (const b of bumps) b.texts = {};
  return { ...result, bumps, diff: bumps.flatMap((b) => Object.values(b.files)).join('\n'), dryRun: Boolean(input.dryRun) };
}

function onlyLines(report: StackReport, lines: string[] | undefined): StackReport {
  if (!lines?.length) return report;
  return { ...report, targets: report.targets.map((t) => (lines.includes(t.line) ? t : { ...t, update: false })) };
}
