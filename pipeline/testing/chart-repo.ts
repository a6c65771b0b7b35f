/** A Helm chart repository on 127.0.0.1 serving a folder of .tgz charts with a generated index.yaml. */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';
import { archiveChartMeta } from '../stack/index.js';

export interface ChartRepo {
  url: string;
  /** Requests seen, as "METHOD path". */
  requests: string[];
  /** Replace the bytes served for one file name (to test digest checks). */
  tamper(file: string, bytes: Buffer): void;
  close(): Promise<void>;
}

/** Serves every `*.tgz` in `dir` plus an index.yaml listing them (digest = sha256 of the archive). */
export async function startChartRepo(dir: string): Promise<ChartRepo> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.tgz')).sort();
  const bodies = new Map<string, Buffer>();
  const entries: Record<string, unknown[]> = {};
  for (const file of files) {
    const bytes = await fs.readFile(path.join(dir, file));
    bodies.set(file, bytes);
    const meta = await archiveChartMeta(path.join(dir, file));
    if (!meta) continue;
    (entries[meta.name] ??= []).push({
      apiVersion: 'v2',
      name: meta.name,
      version: meta.version,
      appVersion: meta.appVersion,
      kubeVersion: meta.kubeVersion,
      digest: crypto.createHash('sha256').update(bytes).digest('hex'),
      urls: [file],
      created: '2025-01-01T00:00:00Z',
    });
  }
  const index = stringify({ apiVersion: 'v1', entries, generated: '2025-01-01T00:00:00Z' });
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const name = decodeURIComponent((req.url ?? '/').split('?')[0]!.slice(1));
    if (name === 'index.yaml') {
      res.writeHead(200, { 'content-type': 'application/x-yaml' }).end(index);
      return;
    }
    const body = bodies.get(name);
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    tamper: (file, bytes) => bodies.set(file, bytes),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
