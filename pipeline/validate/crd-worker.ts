/**
 * CRD files read on a worker thread, so that csp validate --rendered parses its stream on one core while the
 * other reads the CRDs (3 MB of YAML in the SCS fixtures, about as long as parsing 1,500 rendered objects).
 * The result is plain data (structured clone keeps every YAML value, NaN and ±Infinity included). The worker
 * runs the compiled entry (dist/…/crd-worker-entry.js); under a TypeScript loader (tests, tsx) the same
 * function runs in-process instead.
 */
import { Worker } from 'node:worker_threads';
import type { Issue } from '../core/errors.js';
import { loadCrdVersions, type CrdVersion } from './crd-files.js';

/** What loadCrdVersions returns. */
export interface LoadedCrds {
  versions: CrdVersion[];
  issues: Issue[];
}

/** The worker's entry, when this module runs compiled; undefined under a TypeScript loader. */
export function crdWorkerEntry(): URL | undefined {
  return import.meta.url.endsWith('.js') ? new URL('./crd-worker-entry.js', import.meta.url) : undefined;
}

/**
 * loadCrdVersions(targets) on a worker thread (`entry`, by default crdWorkerEntry()); in-process when there is no
 * target or no compiled entry. The worker gets csp's environment (limits are read from it).
 */
export function loadCrdVersionsConcurrently(targets: string[], entry: URL | undefined = crdWorkerEntry()): Promise<LoadedCrds> {
  if (targets.length === 0 || !entry) return loadCrdVersions(targets);
  return new Promise<LoadedCrds>((resolve, reject) => {
    const worker = new Worker(entry, { workerData: { targets } });
    let result: LoadedCrds | undefined;
    worker.once('message', (message: LoadedCrds) => {
      result = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`the CRD reader thread ended with code ${code} without a result`));
    });
  });
}
