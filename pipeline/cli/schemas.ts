/** `csp schemas import|sync`: fill the local schema cache (CRDs, Kubernetes OpenAPI) that csp validate reads (default .csp/schemas). */
import path from 'node:path';
import { UserInputError, ValidationFailed, hasErrors } from '../core/errors.js';
import { schemasDir } from '../core/schema.js';
import { DEFAULT_SCHEMA_CACHE, importSchemas, loadSchemaSources, syncSchemas, type SchemaStoreResult } from '../validate/index.js';
import { boolOpt, stringOpt, type CliContext, type CommandSpec } from './command.js';
import { printIssues } from './report.js';

export const schemasCommand: CommandSpec = {
  name: 'schemas',
  summary: 'Manage the local schema cache: import CRD files or Kubernetes OpenAPI documents, or sync the pinned releases',
  usage: 'csp schemas import DIR|FILE... [--cache DIR] | csp schemas sync [--sources FILE] [--base-url URL] [--cache DIR] [--dry-run] [--json]',
  description: [
    'import: copies every CustomResourceDefinition of the given YAML files or folders (recursive; plain CRDs or',
    '*-components.yaml release assets) into CACHE/imported/<group>_<plural>.yaml, and Kubernetes OpenAPI v3 documents',
    '(JSON, api/openapi-spec/v3/*_openapi.json of kubernetes/kubernetes) into CACHE/imported-openapi/.',
    'sync: downloads the release assets listed in schemas/sources.yaml (pinned versions) from GitHub and keeps their',
    'CRDs in CACHE/<provider>-<version>/, and the Kubernetes OpenAPI v3 documents of the pinned Kubernetes tag into',
    'CACHE/kubernetes-<version>/ (--base-url replaces both hosts); CACHE/sync.json records URLs and sha256 digests.',
    'csp validate reads the cache (default .csp/schemas) plus any --crds folders; OpenAPI kinds replace csp\'s',
    'built-in core-kind schemas.',
  ].join('\n'),
  options: {
    cache: { type: 'string', arg: 'DIR', description: 'Schema cache folder (default .csp/schemas).' },
    sources: { type: 'string', arg: 'FILE', description: 'Sources file for sync (default schemas/sources.yaml).' },
    'base-url': { type: 'string', arg: 'URL', description: 'Download host instead of the sources file\'s baseUrl and kubernetes.baseUrl (mirrors, tests).' },
    'dry-run': { type: 'boolean', description: 'sync: only list what would be downloaded.' },
  },
  async run(ctx, args) {
    const [action, ...rest] = args.positionals;
    const cacheDir = path.resolve(ctx.cwd, stringOpt(args, 'cache') ?? DEFAULT_SCHEMA_CACHE);
    let result: SchemaStoreResult & { downloads?: { url: string; sha256: string; bytes: number }[] };
    if (action === 'import') {
      if (rest.length === 0) throw new UserInputError('CLI_BAD_ARGUMENTS', 'csp schemas import needs at least one DIR or FILE', { details: `Usage: ${schemasCommand.usage}` });
      result = await importSchemas({ sources: rest.map((r) => path.resolve(ctx.cwd, r)), cacheDir, displayPath: (p) => path.relative(ctx.cwd, p) || p });
    } else if (action === 'sync') {
      if (rest.length) throw new UserInputError('CLI_BAD_ARGUMENTS', 'csp schemas sync takes no arguments', { details: `Usage: ${schemasCommand.usage}` });
      const file = path.resolve(ctx.cwd, stringOpt(args, 'sources') ?? path.join(schemasDir, 'sources.yaml'));
      const loaded = await loadSchemaSources(file, path.relative(ctx.cwd, file) || file);
      if (!loaded.sources) throw new ValidationFailed(loaded.issues, 'the schema sources file has errors');
      result = await syncSchemas({ sources: loaded.sources, cacheDir, baseUrl: stringOpt(args, 'base-url'), dryRun: boolOpt(args, 'dry-run') }, ctx);
    } else {
      throw new UserInputError('CLI_BAD_ARGUMENTS', `unknown schemas action "${action ?? ''}"`, { details: `Usage: ${schemasCommand.usage}` });
    }
    report(ctx, result, cacheDir);
    return hasErrors(result.issues) ? 1 : 0;
  },
};

function report(ctx: CliContext, result: SchemaStoreResult & { downloads?: { url: string; sha256: string; bytes: number }[] }, cacheDir: string): void {
  printIssues(ctx, result.issues);
  const shownCache = path.relative(ctx.cwd, cacheDir) || '.';
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: !hasErrors(result.issues), cacheDir: shownCache, crds: result.crds, openapi: result.openapi, downloads: result.downloads, issues: result.issues }, null, 2));
    return;
  }
  for (const d of result.downloads ?? []) ctx.out(`${d.sha256 ? 'downloaded' : 'would fetch'} ${d.url}${d.sha256 ? ` (${d.bytes} bytes, sha256:${d.sha256})` : ''}`);
  for (const c of result.crds) ctx.out(`${c.group}/${c.kind} ${c.versions.join(',')} -> ${path.join(shownCache, c.file)}`);
  for (const o of result.openapi) ctx.out(`Kubernetes OpenAPI ${o.groupVersions.join(',')} (${o.kinds} kinds) -> ${path.join(shownCache, o.file)}`);
  ctx.out(`${result.crds.length} CRDs${result.openapi.length ? ` and ${result.openapi.length} Kubernetes OpenAPI documents` : ''} in ${shownCache}`);
}
