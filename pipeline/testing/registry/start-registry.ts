/**
 * Runs Debian's docker-registry 2.8.2 on 127.0.0.1 for one test file: a throwaway config and storage dir
 * (delete enabled), anonymous, htpasswd (bcrypt) or token auth (with our own ES256 token server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { stringify } from 'yaml';
import { startTokenServer, type TokenServer, type TokenUser } from './token-server.js';

export type RegistryAuth = 'none' | 'htpasswd' | 'token';

export interface StartRegistryOptions {
  auth: RegistryAuth;
  /** Extra users (htpasswd/token); a generated main user is always present. */
  users?: TokenUser[];
  binary?: string;
}

/** A running registry; `url` is `http://127.0.0.1:<port>`, `host` is `127.0.0.1:<port>`. */
export interface TestRegistry {
  url: string;
  host: string;
  auth: RegistryAuth;
  /** The generated main user (htpasswd and token modes). */
  credentials?: { username: string; password: string };
  tokenServer?: TokenServer;
  /** OAuth2 refresh token of the main user (token mode; docker config.json `identitytoken`). */
  refreshToken?: string;
  storageDir: string;
  /** Everything the registry wrote to stdout/stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `docker-registry serve <config>` and waits until `GET /v2/` answers 200 or 401. */
export async function startRegistry(options: StartRegistryOptions): Promise<TestRegistry> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-registry-'));
  const storageDir = path.join(dir, 'storage');
  await fs.mkdir(storageDir);
  const credentials = options.auth === 'none' ? undefined : { username: 'csp-user', password: `pw-${crypto.randomBytes(9).toString('base64url')}` };
  const users: TokenUser[] = credentials ? [{ ...credentials, refreshToken: `rt-${crypto.randomBytes(9).toString('hex')}` }, ...(options.users ?? [])] : [];
  let tokenServer: TokenServer | undefined;
  const auth: Record<string, unknown> = {};
  if (options.auth === 'htpasswd') {
    const lines = users.map((u) => `${u.username}:${bcrypt.hashSync(u.password, 4)}`);
    await fs.writeFile(path.join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
    auth.htpasswd = { realm: 'csp-test', path: path.join(dir, 'htpasswd') };
  } else if (options.auth === 'token') {
    tokenServer = await startTokenServer(users);
    await fs.writeFile(path.join(dir, 'root.pem'), tokenServer.certPem);
    auth.token = { realm: tokenServer.realm, service: tokenServer.service, issuer: tokenServer.issuer, rootcertbundle: path.join(dir, 'root.pem') };
  }

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = {
      version: 0.1,
      log: { level: 'info', formatter: 'text', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: storageDir }, delete: { enabled: true } },
      http: { addr: `127.0.0.1:${port}`, secret: crypto.randomBytes(16).toString('hex') },
      ...(options.auth === 'none' ? {} : { auth }),
    };
    const configPath = path.join(dir, 'config.yml');
    await fs.writeFile(configPath, stringify(config));
    let output = '';
    const child = spawn(options.binary ?? '/usr/bin/docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    let spawnError: Error | undefined;
    child.on('error', (error) => (spawnError = error));
    try {
      await waitUntilUp(port, child, () => output, () => spawnError);
    } catch (error) {
      lastError = error;
      if (spawnError) break;
      await stopChild(child);
      continue;
    }
    const host = `127.0.0.1:${port}`;
    return {
      url: `http://${host}`,
      host,
      auth: options.auth,
      credentials,
      tokenServer,
      refreshToken: tokenServer ? users[0]?.refreshToken : undefined,
      storageDir,
      output: () => output,
      async stop() {
        await stopChild(child);
        await tokenServer?.close();
        await fs.rm(dir, { recursive: true, force: true });
      },
    };
  }
  await tokenServer?.close();
  await fs.rm(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error('docker-registry did not start');
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitUntilUp(port: number, child: ChildProcess, output: () => string, spawnError: () => Error | undefined): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const error = spawnError();
    if (error) throw new Error(`cannot start docker-registry (${error.message}); install it with: apt-get install -y docker-registry`);
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${output().slice(-1000)}`);
    const status = await probe(port);
    if (status === 200 || status === 401) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer on 127.0.0.1:${port}: ${output().slice(-1000)}`);
}

function probe(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/v2/', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on('error', () => resolve(null));
    req.on('timeout', () => {
      req.destroy();
      resolve(null);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
