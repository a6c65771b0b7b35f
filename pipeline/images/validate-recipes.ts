/**
 * `packer validate` of every recipe target with the variables a build would get (Kubernetes from a sample
 * version, placeholders for the build-time paths) and placeholder cloud credentials on a loopback URL:
 * validation never talks to a cloud.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Issue } from '../core/errors.js';
import type { Log } from '../core/log.js';
import type { Run } from '../core/run.js';
import { runPacker } from './packer.js';
import { targetVariables } from './rebuild-key.js';
import type { Recipe } from './types.js';

export interface ValidateRecipesResult {
  checked: { recipe: string; target: string; ok: boolean; mode: 'full' | 'syntax-only'; output: string }[];
  issues: Issue[];
}

/** Placeholder credentials the openstack and hcloud builders insist on during validate. */
export const VALIDATE_ENV: Record<string, string> = {
  HCLOUD_TOKEN: 'validate-only',
  OS_AUTH_URL: 'http://127.0.0.1:9/v3',
  OS_USERNAME: 'validate-only',
  OS_PASSWORD: 'validate-only',
  OS_PROJECT_NAME: 'validate-only',
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_DOMAIN_NAME: 'Default',
};

/**
 * Validates all targets of the given recipes; a failing target is an issue naming its template. `cloudEnv`
 * (OS_AUTH_URL/OS_CLOUD and friends, for a fake or real Keystone) turns the openstack check from syntax-only to full.
 */
export async function validateRecipes(recipes: readonly Recipe[], workDir: string, deps: { run: Run; log: Log }, cloudEnv?: Record<string, string>): Promise<ValidateRecipesResult> {
  const result: ValidateRecipesResult = { checked: [], issues: [] };
  await fs.mkdir(workDir, { recursive: true });
  for (const recipe of recipes) {
    for (const [name, target] of Object.entries(recipe.config.targets)) {
      const vars: Record<string, string> = {
        ...targetVariables(recipe, name, '1.32.5'),
        image_name: `${recipe.name}-kube-v1.32.5-00000000`,
        output_directory: path.join(workDir, 'validate-output'),
        rebuild_key: '0'.repeat(64),
        ...(target.base ? { base_disk: path.join(workDir, 'base.qcow2'), kernel: path.join(workDir, 'vmlinuz'), initrd: path.join(workDir, 'initrd.img'), ssh_private_key_file: path.join(workDir, 'key') } : {}),
      };
      // A `file:` checksum would be downloaded during validate; tests and CI never reach the internet.
      if (vars.base_image_checksum?.startsWith('file:')) vars.base_image_checksum = 'none';
      if (target.base) await placeholderBase(workDir, deps.run);
      const varFile = path.join(workDir, `validate-${recipe.name}-${name}.json`);
      await fs.writeFile(varFile, JSON.stringify(vars));
      const template = path.join(recipe.dir, target.template);
      // Packer 1.6.6's openstack builder authenticates while preparing: without real credentials check syntax only.
      const syntaxOnly = target.builder === 'openstack' && !cloudEnv?.OS_AUTH_URL && !cloudEnv?.OS_CLOUD;
      const run = await runPacker({ args: ['validate', ...(syntaxOnly ? ['-syntax-only'] : []), '-only', name, '-var-file', varFile, template], cwd: workDir, env: { ...VALIDATE_ENV, PACKER_CACHE_DIR: path.join(workDir, 'packer_cache'), ...cloudEnv }, timeoutMs: 120_000, label: `${recipe.name}/${name}` }, deps);
      const output = run.report.unparsed.join('\n') || run.stderrTail;
      const ok = run.exitCode === 0;
      result.checked.push({ recipe: recipe.name, target: name, ok, mode: syntaxOnly ? 'syntax-only' : 'full', output });
      if (!ok) {
        result.issues.push({
          severity: 'error',
          code: 'PACKER_VALIDATE_FAILED',
          message: `packer validate of ${recipe.name}/${name} failed: ${([...run.report.errors.map((e) => e.message), ...run.report.uiErrors].join('; ') || output).slice(0, 500)}`,
          hint: 'Fix the template; csp runs the same validate in CI.',
          location: { file: path.join('images', recipe.name, target.template) },
        });
      }
    }
  }
  return result;
}

/** Empty disk, kernel and initrd plus a throwaway key: validate checks that they exist and that the key parses. */
async function placeholderBase(dir: string, run: Run): Promise<void> {
  for (const f of ['base.qcow2', 'vmlinuz', 'initrd.img']) await fs.writeFile(path.join(dir, f), '');
  const key = path.join(dir, 'key');
  if (await fs.stat(key).then((s) => s.size === 0, () => true)) {
    await fs.rm(key, { force: true });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'csp-validate', '-f', key], { cwd: dir, timeoutMs: 30_000 });
  }
}
