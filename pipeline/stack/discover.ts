/** Finds stacks: every folder below stacks/ that holds a csctl.yaml (stacks/<provider>/<name>/). */
import fs from 'node:fs/promises';
import path from 'node:path';

/** Stack folders under `stacksDir`, sorted; empty when the folder does not exist. */
export async function discoverStacks(stacksDir: string): Promise<string[]> {
  const found: string[] = [];
  const providers = await fs.readdir(stacksDir, { withFileTypes: true }).catch(() => []);
  for (const provider of providers.filter((d) => d.isDirectory())) {
    const names = await fs.readdir(path.join(stacksDir, provider.name), { withFileTypes: true });
    for (const name of names.filter((d) => d.isDirectory())) {
      const dir = path.join(stacksDir, provider.name, name.name);
      if (await fs.stat(path.join(dir, 'csctl.yaml')).catch(() => undefined)) found.push(dir);
    }
  }
  return found.sort();
}
