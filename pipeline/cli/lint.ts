/** `csp lint [DIR...]`: load every stack, check files against schemas and cross-layer rules, report all. */
import path from 'node:path';
import type { Issue } from '../core/errors.js';
import { boolOpt, type CommandSpec } from './command.js';
import { countIssues, printIssues } from './report.js';
import { chartCacheDir as chartCacheOf, sharedOptions } from './options.js';

export const lintCommand: CommandSpec = {
  name: 'lint',
  summary: 'Check stacks: file schemas, structure and cross-layer compatibility rules',
  usage: 'csp lint [STACK_DIR...] [--strict] [--rules] [--json]',
  description: [
    'Without STACK_DIR, lints every stack under stacks/ (stacks/<provider>/<name>/ with a csctl.yaml).',
    'Reports every problem at once as path:line:col CODE message, with a fix hint; inside GitHub Actions',
    'also as ::error/::warning annotations. Exit 1 when any error was found (with --strict: any warning).',
  ].join('\n'),
  options: {
    strict: { type: 'boolean', description: 'Treat warnings as errors.' },
    rules: { type: 'boolean', description: 'List the cross-layer rules and exit.' },
    ...sharedOptions('chart-cache'),
    images: { type: 'string', arg: 'DIR', description: 'Node image recipes that stack.yaml nodeImage.recipe names (default images).' },
  },
  async run(ctx, args) {
    const [{ checkCompatibility, listRules }, { checkStackImages }, { discoverStacks, loadStack, showPath }] = await Promise.all([
      import('../constraints/index.js'),
      import('../images/index.js'),
      import('../stack/index.js'),
    ]);
    if (boolOpt(args, 'rules')) {
      const rules = listRules();
      if (ctx.json) ctx.out(JSON.stringify(rules, null, 2));
      else for (const r of rules) ctx.out(`${r.id.padEnd(34)} ${r.summary}`);
      return 0;
    }
    const dirs = args.positionals.length ? args.positionals.map((d) => path.resolve(ctx.cwd, d)) : await discoverStacks(path.join(ctx.cwd, 'stacks'));
    if (dirs.length === 0) {
      const issue: Issue = { severity: 'error', code: 'NO_STACKS', message: 'no stacks found under stacks/', hint: 'Pass stack folders (csp lint stacks/docker/scs) or run from the repository root.' };
      printIssues(ctx, [issue]);
      if (ctx.json) ctx.out(JSON.stringify({ ok: false, stacks: [], issues: [issue] }, null, 2));
      return 1;
    }
    const chartCacheDir = chartCacheOf(ctx.cwd, args);
    const results = [];
    for (const dir of dirs) {
      const loaded = await loadStack(dir, { cwd: ctx.cwd, chartCacheDir });
      const issues = [...loaded.issues];
      let skipped: string[] = [];
      if (loaded.stack) {
        const compat = checkCompatibility(loaded.stack);
        issues.push(...compat.issues);
        skipped = compat.skipped;
        issues.push(...(await checkStackImages(loaded.stack, path.resolve(ctx.cwd, typeof args.values.images === 'string' ? args.values.images : 'images'))));
      }
      results.push({ stack: showPath(ctx.cwd, dir), provider: loaded.stack?.provider, name: loaded.stack?.name, targets: loaded.stack?.targets.map((t) => t.version) ?? [], issues, skippedRules: skipped });
    }
    const all = results.flatMap((r) => r.issues);
    const strict = boolOpt(args, 'strict');
    const counts = countIssues(all);
    const failed = counts.errors > 0 || (strict && counts.warnings > 0);
    printIssues(ctx, all);
    if (ctx.json) {
      ctx.out(JSON.stringify({ ok: !failed, ...counts, stacks: results }, null, 2));
    } else {
      for (const r of results) {
        const c = countIssues(r.issues);
        const skippedNote = r.skippedRules.length ? `; ${r.skippedRules.length} rules skipped (no stack.yaml)` : '';
        ctx.out(`${c.errors ? 'FAIL' : 'ok  '} ${r.stack} (${r.targets.map((t) => `k8s ${t}`).join(', ') || 'not loaded'}): ${c.errors} errors, ${c.warnings} warnings${skippedNote}`);
      }
    }
    return failed ? 1 : 0;
  },
};
