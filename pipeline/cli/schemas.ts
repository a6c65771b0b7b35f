/** `csp schemas import|sync`: fill the local schema cache (CRDs, Kubernetes OpenAPI) that csp validate reads (default .csp/schemas). */
import path from 'node:path';
import { UserInputError, ValidationFailed, hasErrors } from '../core/errors.js';
import type { CatalogUpdate, SchemaStoreResult } from '../validate/index.js';
import { boolOpt, listOpt, stringOpt, type CliContext, type CommandSpec } from './command.js';
import { printIssues } from './report.js';
import { SHARED_OPTIONS, sharedOptions } from './options.js';

export const schemasCommand: CommandSpec = {
  name: 'schemas',
  summary: 'Manage the local schema cache: import CRD files or Kubernetes OpenAPI documents, or sync the pinned releases',
  usage: 'csp schemas import DIR|FILE... [--schema-cache DIR] | csp schemas sync [--sources FILE] [--base-url URL] [--schema-cache DIR] [--dry-run] [--json] | csp schemas catalog [--from DIR]... [--out DIR] [--check]',
  description: [
    'import: copies every CustomResourceDefinition of the given YAML files or folders (recursive; plain CRDs or',
    '*-components.yaml release assets) into CACHE/imported/<group>_<plural>.yaml, and Kubernetes OpenAPI v3 documents',
    '(JSON, api/openapi-spec/v3/*_openapi.json of kubernetes/kubernetes) into CACHE/imported-openapi/.',
    'sync: downloads the release assets listed in schemas/sources.yaml (pinned versions) from GitHub and keeps their',
    'CRDs in CACHE/<provider>-<version>/, and the Kubernetes OpenAPI v3 documents of the pinned Kubernetes tag into',
    'CACHE/kubernetes-<version>/ (--base-url replaces both hosts); CACHE/sync.json records URLs and sha256 digests.',
    'catalog: regenerates the committed schema catalog (schemas/catalog/, docs/schema-catalog.md) from the documents',
    'pinned in the sources file (catalog.kubernetes minors: swagger-v1.NN.json; providers: <name>-<version>/ CRD',
    'folders) found under --from (default: the cache, filled by sync); --check only compares and fails on a difference.',
    'csp validate and csp build check against the catalog; the cache (default .csp/schemas) and --crds add to or',
    'override it per group/version/kind.',
  ].join('\n'),
  options: {
    ...sharedOptions('schema-cache'),
    sources: { type: 'string', arg: 'FILE', description: 'Sources file for sync (default schemas/sources.yaml).' },
    'base-url': { type: 'string', arg: 'URL', description: 'Download host instead of the sources file\'s baseUrl and kubernetes.baseUrl (mirrors, tests).' },
    'dry-run': { type: 'boolean', description: 'sync: only list what would be downloaded; catalog: generate but write nothing.' },
    from: { type: 'string', multiple: true, arg: 'DIR', description: 'catalog: folder with the source documents (default the cache); repeatable.' },
    out: { ...SHARED_OPTIONS.out, description: 'catalog: catalog folder (default schemas/catalog of csp).' },
    check: { type: 'boolean', description: 'catalog: compare with the committed catalog instead of writing it.' },
  },
  async run(ctx, args) {
    const [{ DEFAULT_SCHEMA_CACHE, importSchemas, loadSchemaSources, syncSchemas, updateCatalog }, { schemasDir }] = await Promise.all([import('../validate/index.js'), import('../core/schema.js')]);
    const [action, ...rest] = args.positionals;
    const cacheDir = path.resolve(ctx.cwd, stringOpt(args, 'schema-cache') ?? DEFAULT_SCHEMA_CACHE);
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
    } else if (action === 'catalog') {
      if (rest.length) throw new UserInputError('CLI_BAD_ARGUMENTS', 'csp schemas catalog takes no arguments', { details: `Usage: ${schemasCommand.usage}` });
      const file = path.resolve(ctx.cwd, stringOpt(args, 'sources') ?? path.join(schemasDir, 'sources.yaml'));
      const loaded = await loadSchemaSources(file, path.relative(ctx.cwd, file) || file);
      if (!loaded.sources) throw new ValidationFailed(loaded.issues, 'the schema sources file has errors');
      const show = (p: string) => path.relative(ctx.cwd, p) || p;
      const from = listOpt(args, 'from');
      const update = await updateCatalog({
        pins: { kubernetes: loaded.sources.catalog?.kubernetes ?? [], providers: loaded.sources.providers },
        from: from.length ? from.map((d) => path.resolve(ctx.cwd, d)) : [cacheDir],
        out: path.resolve(ctx.cwd, stringOpt(args, 'out') ?? path.join(schemasDir, 'catalog')),
        check: boolOpt(args, 'check'),
        dryRun: boolOpt(args, 'dry-run'),
        show,
      });
      reportCatalog(ctx, update, show);
      return hasErrors(update.issues) ? 1 : 0;
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

function reportCatalog(ctx: CliContext, update: CatalogUpdate, show: (p: string) => string): void {
  printIssues(ctx, update.issues);
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: !hasErrors(update.issues), out: show(update.out), bytes: update.bytes, written: update.written, removed: update.removed, origin: update.origin, issues: update.issues }, null, 2));
    return;
  }
  for (const k of update.origin?.kubernetes ?? []) ctx.out(`Kubernetes ${k.minor}: ${k.definitions} definitions, ${k.kinds} kinds from ${k.source} (sha256:${k.sha256})`);
  for (const p of update.origin?.providers ?? []) ctx.out(`${p.name} ${p.version}: ${p.kinds} kinds from ${p.files.length} files`);
  for (const f of update.written) ctx.out(`wrote ${show(`${update.out}/${f}`)}`);
  for (const f of update.removed) ctx.out(`removed ${show(`${update.out}/${f}`)}`);
  ctx.out(`${show(update.out)}: ${update.bytes} bytes${update.written.length + update.removed.length ? '' : ', unchanged'}`);
}
