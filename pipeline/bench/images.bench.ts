/**
 * Node image bench. (1) After a one-patch Kubernetes bump across the shipped stacks: builds planned per affected
 * (provider, minor) pair (goal exactly 1.0). (2) A no-op `csp images plan` over 200 stack versions (100 copies of
 * the OpenStack stack × 2 minors, every image recorded) against `sha256sum` of the same inputs (goal ≤ 2×).
 * (3) With CSP_BENCH_IMAGE_BUILD=1 only (minutes): one real local build, split into base image, Packer, compression
 * and push, and the pushed bytes against the qcow2 size.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHttp } from '../core/http.js';
import { createLog } from '../core/log.js';
import { run } from '../core/run.js';
import { buildImages, debianMirrorFrom, planImagesFor, publishImages, writeImageRecord, type ImagePlanItem, type ImageRecord } from '../images/index.js';
import { openRepository, parseReference } from '../publish/index.js';
import { repoRoot } from '../testing/paths.js';
import { startRegistry } from '../testing/registry/start-registry.js';
import { compare, type BenchFigure } from './harness.js';

const imagesDir = path.join(repoRoot, 'images');

function recordOf(item: ImagePlanItem): ImageRecord {
  return {
    apiVersion: 'csp.scs.community/v1alpha1', kind: 'ImageRecord', name: item.name, recipe: item.recipe, target: item.target, builder: item.builder,
    providers: item.providers, kubernetes: item.kubernetes, key: item.key, format: 'qcow2', location: {}, buildDate: '2026-01-01T00:00:00.000Z', packer: { version: '1.9.5', plugins: {} },
  };
}

async function bumpFigure(root: string): Promise<BenchFigure> {
  await fs.cp(path.join(repoRoot, 'stacks'), path.join(root, 'stacks'), { recursive: true });
  const stackDirs = ['docker', 'hcloud', 'openstack'].map((p) => path.join(root, 'stacks', p, 'scs'));
  const ledgerDir = path.join(root, 'releases');
  const first = await planImagesFor({ stackDirs, cwd: root, imagesDir, ledgerDir });
  for (const item of first.plan.items) await writeImageRecord(ledgerDir, recordOf(item));
  // One patch bump of every target of every stack.
  const affected = new Set<string>();
  for (const dir of stackDirs) {
    const file = path.join(dir, 'versions.yaml');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace(/kubernetes: (\d+)\.(\d+)\.(\d+)/g, (_, a: string, b: string, c: string) => `kubernetes: ${a}.${b}.${Number(c) + 1}`));
  }
  for (const item of first.plan.items) affected.add(item.minor);
  const second = await planImagesFor({ stackDirs, cwd: root, imagesDir, ledgerDir });
  const builds = second.plan.items.filter((i) => i.action === 'build').length;
  if (builds !== affected.size) throw new Error(`patch bump planned ${builds} builds for ${affected.size} affected (provider, minor) pairs`);
  return { name: 'images plan after a one-patch bump: builds per affected (provider, minor)', ms: builds, baselineMs: affected.size, baseline: 'affected pairs', ratio: builds / affected.size, goal: 1, note: `${builds} builds for ${[...affected].sort().join(', ')}; docker uses kind's images` };
}

async function noopFigure(root: string): Promise<BenchFigure> {
  const source = path.join(repoRoot, 'stacks/openstack/scs');
  const stackDirs: string[] = [];
  for (let i = 0; i < 100; i++) {
    const dir = path.join(root, 'many', `scs${i}`);
    await fs.mkdir(dir, { recursive: true });
    for (const f of ['csctl.yaml', 'stack.yaml', 'versions.yaml']) await fs.copyFile(path.join(source, f), path.join(dir, f));
    stackDirs.push(dir);
  }
  const ledgerDir = path.join(root, 'many-releases');
  const first = await planImagesFor({ stackDirs, cwd: root, imagesDir, ledgerDir });
  for (const item of first.plan.items) await writeImageRecord(ledgerDir, recordOf(item));
  const inputs = [
    ...stackDirs.flatMap((d) => ['csctl.yaml', 'stack.yaml', 'versions.yaml'].map((f) => path.join(d, f))),
    ...(await fs.readdir(imagesDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)),
    ...(await fs.readdir(path.join(ledgerDir, 'images'))).map((f) => path.join(ledgerDir, 'images', f)),
  ];
  const plan = async () => {
    const r = await planImagesFor({ stackDirs, cwd: root, imagesDir, ledgerDir });
    if (r.plan.items.some((i) => i.action === 'build') || r.issues.length) throw new Error('the no-op plan wants builds');
  };
  return compare('no-op csp images plan, 200 stack versions', plan, 'sha256sum of the same inputs', () => run('sha256sum', inputs, { cwd: root }), { goal: 2, runs: 5 });
}

async function realBuildFigure(root: string): Promise<BenchFigure> {
  const log = createLog({ write: () => undefined });
  const stack = path.join(root, 'real/openstack/scs');
  await fs.mkdir(stack, { recursive: true });
  const src = path.join(repoRoot, 'stacks/openstack/scs');
  await fs.copyFile(path.join(src, 'csctl.yaml'), path.join(stack, 'csctl.yaml'));
  await fs.writeFile(path.join(stack, 'versions.yaml'), '- kubernetes: 1.32.5\n');
  await fs.writeFile(path.join(stack, 'stack.yaml'), 'nodeImage:\n  recipe: debian-12\n  target: local\n');
  const ledgerDir = path.join(root, 'real-releases');
  const workDir = path.join(root, 'real-work');
  const { plan } = await planImagesFor({ stackDirs: [stack], cwd: root, imagesDir, ledgerDir });
  const sources = await Promise.all(['/etc/apt/sources.list', ...(await fs.readdir('/etc/apt/sources.list.d').catch(() => [])).map((f) => `/etc/apt/sources.list.d/${f}`)].map((f) => fs.readFile(f, 'utf8').catch(() => '')));
  const built = await buildImages({ items: plan.items, imagesDir, ledgerDir, workDir, timeoutMs: 3_600_000, parallel: 1, mirror: debianMirrorFrom(sources) }, { run, log, now: () => new Date() });
  const b = built.built[0];
  if (!b) throw new Error('nothing was built');
  const registry = await startRegistry({ auth: 'none' });
  try {
    const ref = parseReference(`${registry.host}/node-images:latest`);
    const repo = await openRepository(ref, { http: createHttp(), log });
    const pushed = await publishImages({ records: [b.record], repository: `${registry.host}/node-images`, ledgerDir }, { log, openRepository: async () => ({ registry: ref.registry, repository: ref.repository, publish: (push) => repo.publish(push) }) });
    const p = pushed.images[0];
    const size = b.record.size ?? 1;
    const t = b.timings;
    return {
      name: 'real local image build: pushed bytes per qcow2 byte',
      ms: p?.bytesSent ?? 0,
      baselineMs: size,
      baseline: 'qcow2 bytes',
      ratio: (p?.bytesSent ?? 0) / size,
      note: `base image ${t.baseImage.toFixed(0)} s, Packer ${t.packer.toFixed(0)} s (of which disk conversion/compression ${t.compression.toFixed(0)} s), hashing ${t.hashing.toFixed(1)} s, push ${p?.seconds.toFixed(1)} s; qcow2 ${(size / 1e6).toFixed(0)} MB`,
    };
  } finally {
    await registry.stop();
  }
}

/** Runs the bench; temp folders are removed afterwards. */
export async function imagesBench(): Promise<BenchFigure[]> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-images-bench-'));
  try {
    const figures = [await bumpFigure(root), await noopFigure(root)];
    if (process.env.CSP_BENCH_IMAGE_BUILD === '1') figures.push(await realBuildFigure(root));
    return figures;
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
