/**
 * Validation before anything is written: one pluggable list of checks run per stack × Kubernetes target.
 * Stack loading and the cross-layer rules come first, then the CSO naming rules, then rendering.
 */
import { UserInputError, ValidationFailed, type Issue } from '../core/errors.js';
import type { RenderedStackTarget } from '../render/index.js';
import type { KubernetesTarget, Stack } from '../stack/index.js';
import type { SchemaCatalog } from '../validate/index.js';
import { validateReleaseName } from '../version/index.js';
import { checkCsctlTags } from './csctl-tags.js';
import { containerImages } from './images.js';
import type { ComponentVersions } from '../version/index.js';
import type { SourceTree } from './types.js';

/** What every check sees. `stackIssues` = loadStack + checkCompatibility, computed once per stack. */
export interface CheckContext {
  stack: Stack;
  target: KubernetesTarget;
  stackIssues: Issue[];
  tree: SourceTree;
  /** Cluster-stack version (dot form) the bundle will carry, when already decided. */
  version?: string;
  /** All three decided versions: csctl's `<< >>` tags are rendered with exactly what the bundle gets. */
  versions?: ComponentVersions;
  /** Chart cache filled by `csp deps`, for rendering charts whose dependencies are not vendored. */
  chartCacheDir?: string;
  cwd?: string;
  /** Filled by the render check: container images of every rendered chart (for the SBOM). */
  images?: string[];
  /** Filled by the render check: what it rendered, for the validate check. */
  rendered?: RenderedStackTarget[];
}

/** One check; returns every problem it finds (never throws for problems in the stack). */
export interface BuildCheck {
  id: string;
  summary: string;
  run(ctx: CheckContext): Issue[] | Promise<Issue[]>;
}

/** Loader and rule issues; a symbolic link is an error for a build (CSO refuses links in archives). */
const stackCheck: BuildCheck = {
  id: 'stack',
  summary: 'stack files load, match their schemas and pass the cross-layer rules',
  run: (ctx) => ctx.stackIssues.map((i) => (i.code === 'STACK_SYMLINK' ? { ...i, severity: 'error' } : i)),
};

/** Provider, stack name and Kubernetes version must give a release name CSO parses (5 or 7 dash parts). */
const releaseNameCheck: BuildCheck = {
  id: 'release-name',
  summary: 'provider and stack name are lowercase [a-z0-9] without "-", names fit Helm and OCI limits',
  run(ctx) {
    const issues = validateReleaseName({ provider: ctx.stack.provider, name: ctx.stack.name, kubernetesVersion: ctx.target.version, version: ctx.version ?? 'v1' });
    const csctl = ctx.stack.locations[`${ctx.stack.displayDir}/csctl.yaml#/config/clusterStackName`];
    const provider = ctx.stack.locations[`${ctx.stack.displayDir}/csctl.yaml#/config/provider/type`];
    return issues.map((i) => {
      if (i.location) return i;
      const location = /^provider /.test(i.message) ? provider : /^stack name /.test(i.message) ? csctl : i.code.startsWith('RELEASE_NAME_KUBERNETES') ? ctx.target.location : csctl;
      return { ...i, location: location ?? { file: `${ctx.stack.displayDir}/csctl.yaml` } };
    });
  },
};

/** csctl's `<< >>` tags close and are known (csctl aborts on an unclosed one). */
const csctlTagsCheck: BuildCheck = {
  id: 'csctl-tags',
  summary: 'csctl "<< .X >>" tags in every stack file are closed and known',
  run: (ctx) => checkCsctlTags(ctx.tree, ctx.stack.displayDir),
};

const releaseNameExpr = /^\s*name:\s*["']?\{\{-?\s*\.Release\.Name\s*-?\}\}-\{\{-?\s*\.Chart\.Version\s*-?\}\}["']?\s*$/;

/** CSO maps Cluster.spec.topology.class back to the release: the ClusterClass must be `<release>-<chart version>`. */
const clusterClassNameCheck: BuildCheck = {
  id: 'cluster-class-name',
  summary: 'the ClusterClass is named {{ .Release.Name }}-{{ .Chart.Version }}',
  run(ctx) {
    const dir = `${ctx.stack.clusterClass.path}/templates/`;
    const issues: Issue[] = [];
    let found = false;
    for (const file of ctx.tree.files.filter((f) => f.path.startsWith(dir) && /\.ya?ml$/.test(f.path))) {
      const lines = file.data.toString('utf8').split('\n');
      lines.forEach((line, i) => {
        if (!/^kind:\s*ClusterClass\s*$/.test(line)) return;
        found = true;
        // metadata.name follows within the next few lines of the same document.
        for (let j = i + 1; j < Math.min(lines.length, i + 12) && !/^---/.test(lines[j] ?? ''); j += 1) {
          const text = lines[j] ?? '';
          if (!/^\s+name:/.test(text) || !/^metadata:/.test(lines.slice(i, j).reverse().find((l) => /^\S/.test(l)) ?? '')) continue;
          if (!releaseNameExpr.test(text)) {
            issues.push({
              severity: 'error',
              code: 'CLUSTER_CLASS_NAME',
              message: `ClusterClass name is "${text.trim().slice(5).trim()}", not {{ .Release.Name }}-{{ .Chart.Version }}`,
              hint: 'CSO finds the release of a Cluster by its class name <release prefix>-<version dot>; name the ClusterClass {{ .Release.Name }}-{{ .Chart.Version }}.',
              location: { file: `${ctx.stack.displayDir}/${file.path}`, line: j + 1, column: text.indexOf('name:') + 1 },
            });
          }
          return;
        }
      });
    }
    if (!found) {
      issues.push({
        severity: 'error',
        code: 'CLUSTER_CLASS_NOT_FOUND',
        message: `no template in ${ctx.stack.displayDir}/${dir} declares kind: ClusterClass`,
        hint: 'The cluster-class chart must hold the ClusterClass (named {{ .Release.Name }}-{{ .Chart.Version }}).',
        location: { file: `${ctx.stack.displayDir}/${ctx.stack.clusterClass.path}` },
      });
    }
    return issues;
  },
};

/**
 * Renders the cluster-class chart (release `P-N-MA-MI`, chart version = the cluster-stack version) and every
 * addon chart with CSO-templated values, as CSO would; template errors come back positioned in the stack.
 */
const renderCheck: BuildCheck = {
  id: 'render',
  summary: 'the cluster-class chart and every addon chart render as CSO renders them',
  async run(ctx) {
    try {
      const version = ctx.version ?? 'v1';
      const components = ctx.versions ? { clusterAddon: ctx.versions.clusterAddon, nodeImage: ctx.versions.nodeImage } : undefined;
      // Loaded here, not at the top: csp plan runs the static checks only and never renders.
      const { renderStack } = await import('../render/index.js');
      const rendered = await renderStack(ctx.stack, { k8s: ctx.target.version, version, components, chartCacheDir: ctx.chartCacheDir, cwd: ctx.cwd, seed: 'csp-build' });
      const issues = rendered.flatMap((r) => r.issues);
      ctx.rendered = rendered;
      ctx.images = containerImages(rendered.flatMap((r) => [r.clusterClass, ...r.addons]).flatMap((c) => c.objects.map((o) => o.doc)));
      // What CSO relies on: the rendered ClusterClass is named exactly P-N-MA-MI-<version dot>.
      const expected = `${ctx.stack.provider}-${ctx.stack.name}-${ctx.target.major}-${ctx.target.minor}-${version}`;
      for (const object of rendered.flatMap((r) => r.clusterClass.objects)) {
        const meta = object.doc.metadata as { name?: unknown } | undefined;
        if (object.doc.kind !== 'ClusterClass' || meta?.name === expected) continue;
        issues.push({
          severity: 'error',
          code: 'CLUSTER_CLASS_NAME',
          message: `the rendered ClusterClass is named ${JSON.stringify(meta?.name)}, not ${expected}`,
          hint: 'CSO maps Cluster.spec.topology.class back to the release by this name; name it {{ .Release.Name }}-{{ .Chart.Version }}.',
          location: { file: `${ctx.stack.displayDir}/${object.source.file}`, line: object.source.line },
        });
      }
      return issues;
    } catch (error) {
      if (error instanceof ValidationFailed) return error.issues;
      if (error instanceof UserInputError) return [error.toIssue()];
      throw error;
    }
  },
};

/**
 * `csp validate` inside the build (after the render check): every rendered object against its CRD schema, the
 * ClusterClass rules and the topology dry-run on a Cluster generated from the variables' defaults. Issues point
 * at the stack's files where they can be mapped, else at the rendered document.
 */
export function validateCheck(schemasFor: (minor: string) => { catalog: SchemaCatalog; core: { note: string } }): BuildCheck {
  return {
    id: 'validate',
    summary: 'rendered objects match their schemas (the catalog: Kubernetes OpenAPI and provider CRDs); ClusterClass rules and topology dry-run pass',
    async run(ctx) {
      const { validateStackTarget } = await import('../validate/index.js');
      const issues: Issue[] = [];
      for (const target of ctx.rendered ?? []) {
        const schemas = schemasFor(target.kubernetes);
        // The same placement as csp validate: stack files by display path, rendered lines mapped to template lines.
        const { result, issues: placed } = validateStackTarget(target, ctx.stack, schemas.catalog);
        issues.push(...placed);
        const errors = result.issues.filter((i) => i.severity === 'error').length;
        issues.push({ severity: 'note', code: 'BUILD_VALIDATED', message: `${ctx.stack.displayDir} k8s ${target.kubernetes}: validated ${result.objects} rendered objects and ${result.items.length} dry-run items, ${errors} errors (${schemas.core.note.replace(/^core kinds: /, 'core kinds from ')}; provider kinds from the catalog's CRDs)` });
      }
      return issues;
    },
  };
}

/** The static checks `checkBeforeBuild` runs by default, in order (cheap: every planned target gets them). */
export const BUILD_CHECKS: readonly BuildCheck[] = [stackCheck, csctlTagsCheck, releaseNameCheck, clusterClassNameCheck];

/** Checks that need the decided version; run by `csp build` only for targets that will be released. */
export const RELEASE_CHECKS: readonly BuildCheck[] = [renderCheck];

/** Runs `checks` for one stack × target and returns every issue (errors stop the build before any write). */
export async function checkBeforeBuild(ctx: CheckContext, checks: readonly BuildCheck[] = BUILD_CHECKS): Promise<Issue[]> {
  const issues: Issue[] = [];
  for (const check of checks) issues.push(...(await check.run(ctx)));
  return issues;
}
