/** Paths tests use: the repository root and the shared fixtures beside it (never copied into the repo). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const fixturesDir = path.join(sharedDir, 'fixtures');
export const scsStacksDir = path.join(fixturesDir, 'scs-cluster-stacks');
export const crdsDir = path.join(fixturesDir, 'crds');
export const chartsDir = path.join(fixturesDir, 'charts');
