#!/usr/bin/env node
// Thin launcher: runs the compiled CLI (built by `npm ci` through the prepare script, or `npm run build`).
// The CLI runs in a worker thread with a larger stack (Helm allows 1000 nested `include`s, which need
// more than V8's default ~1 MB) and a heap ceiling, so a runaway chart ends with a message, not an abort.
// What cannot render (help, --version, a plan-cache hit, and publish/verify/pull/keys) runs in the main thread.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist', 'pipeline', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('csp: the CLI is not built yet; run `npm run build` (npm ci does it for you)\n');
  process.exit(3);
}

// Help, --version and a plan-cache hit render nothing: answered here, without the worker (issue 16).
const fastModule = isMainThread ? await import(join(root, 'dist', 'pipeline', 'cli', 'fast.js')).catch(() => undefined) : undefined;
const fast = fastModule ? await fastModule.fastAnswer(process.argv.slice(2), process.cwd(), process.env).catch(() => undefined) : undefined;
// Commands that never render (publish, verify, pull, keys) run here: no second isolate to start.
const inMainThread = !fast && fastModule?.runsInMainThread?.(process.argv.slice(2)) === true;

/** Runs the CLI in this thread and returns its exit code. */
async function runMain() {
  const { main } = await import(entry);
  return main(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
}

if (fast) {
  // Consecutive lines to the same stream in one write (a stored plan can be thousands of lines).
  let pending = '';
  let stream;
  for (const [fd, text] of fast.writes) {
    const next = fd === 1 ? process.stdout : process.stderr;
    if (next !== stream && pending) stream.write(pending);
    if (next !== stream) pending = '';
    stream = next;
    pending += `${text}\n`;
  }
  if (pending) stream.write(pending);
  process.exitCode = fast.code;
} else if (inMainThread) {
  process.exitCode = await runMain();
} else if (isMainThread) {
  const heapMb = Number(process.env.CSP_LIMIT_HEAP_MB ?? 4096);
  const worker = new Worker(fileURLToPath(import.meta.url), {
    argv: process.argv.slice(2),
    resourceLimits: { stackSizeMb: 64, ...(Number.isSafeInteger(heapMb) && heapMb > 0 ? { maxOldGenerationSizeMb: heapMb } : {}) },
  });
  let code;
  worker.on('message', (message) => {
    code = message;
  });
  worker.on('error', (error) => {
    if (error?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      process.stderr.write(`csp: MEMORY_LIMIT the command needed more than its ${heapMb} MB heap and was stopped\n  hint: an input (chart, values, server answer) is far larger than it should be; CSP_LIMIT_HEAP_MB raises the ceiling (docs/limits.md).\n`);
      code = 2;
    } else {
      process.stderr.write(`csp: INTERNAL_ERROR ${error?.stack ?? error}\n  hint: this is a bug in csp; please report it with the command line.\n`);
      code = 3;
    }
  });
  worker.on('exit', (exitCode) => {
    process.exitCode = code ?? (exitCode === 0 ? 0 : exitCode >= 128 ? exitCode : 3);
  });
  // Signals reach only the main thread: hand SIGINT/SIGTERM to the worker (csp e2e tears down on them).
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => worker.postMessage({ signal }));
} else {
  // A forwarded signal goes to the command's own handler, if it has one; otherwise it ends the run as usual.
  parentPort.on('message', (message) => {
    if (message?.signal !== 'SIGINT' && message?.signal !== 'SIGTERM') return;
    if (process.listenerCount(message.signal) > 0) process.emit(message.signal, message.signal);
    else process.exit(message.signal === 'SIGINT' ? 130 : 143);
  });
  parentPort.unref();
  parentPort.postMessage(await runMain());
}
