/** Worker thread entry of crd-worker.ts: reads the CRDs of `workerData.targets` and posts the result once. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCrdVersions } from './crd-files.js';

const { targets } = workerData as { targets: string[] };
parentPort?.postMessage(await loadCrdVersions(targets));
