/** skopeo 1.9.3 as an independent check of what the registry stores (manifest bytes, tags). */
import { run, type RunResult } from '../../core/run.js';

/** `skopeo inspect --raw` of `docker://<host>/<repo>:<tag>`: the stored manifest bytes. */
export async function skopeoRawManifest(imageRef: string, creds?: { username: string; password: string }): Promise<Buffer> {
  const args = ['inspect', '--raw', '--tls-verify=false', ...(creds ? ['--creds', `${creds.username}:${creds.password}`] : []), `docker://${imageRef}`];
  const res = await skopeo(args);
  // run() keeps stdout untrimmed; skopeo prints the manifest followed by nothing else.
  return Buffer.from(res.stdout, 'utf8');
}

/** `skopeo list-tags` of `docker://<host>/<repo>`. */
export async function skopeoListTags(repoRef: string, creds?: { username: string; password: string }): Promise<string[]> {
  const args = ['list-tags', '--tls-verify=false', ...(creds ? ['--creds', `${creds.username}:${creds.password}`] : []), `docker://${repoRef}`];
  const res = await skopeo(args);
  return (JSON.parse(res.stdout) as { Tags: string[] }).Tags;
}

async function skopeo(args: string[]): Promise<RunResult> {
  const res = await run('skopeo', args, { cwd: process.cwd(), timeoutMs: 60_000, allowFailure: true });
  // Not a ToolError: its args would carry the --creds password into test output.
  if (res.exitCode !== 0) throw new Error(`skopeo ${args[0]} failed (${res.exitCode}): ${res.stderr.slice(-500)}`);
  return res;
}
