/**
 * Executing an e2e plan: phases in order, each under its own time budget; on the first failure (or a failing
 * check) the diagnostics steps collect what happened; teardown always runs last, also after SIGINT/SIGTERM
 * (deps.signal), unless the plan says keep. Returns what happened, step by step.
 */
import fs from 'node:fs/promises';
import { PipelineError } from '../core/errors.js';
import { runStep, type E2eDeps, type RunState } from './steps.js';
import type { E2ePlan, E2eResult, PhaseName, Step, StepRecord } from './types.js';

/** Budget of each diagnostics and teardown step (they run after a failure, so they get their own). */
const AFTER_STEP_TIMEOUT_MS = 5 * 60_000;

class PhaseTimeout extends Error {
  constructor(readonly phase: string, readonly ms: number) {
    super(`phase ${phase} did not finish within ${Math.round(ms / 1000)} s`);
  }
}

/** Runs `plan`; never throws for a failing step (the result says which), only for bugs. */
export async function runE2e(plan: E2ePlan, deps: E2eDeps, options: { csoManifest?: { text: string; file: string } } = {}): Promise<E2eResult> {
  await fs.mkdir(plan.workDir, { recursive: true });
  const state: RunState = { plan, deps, checks: [], diagnostics: [], ...(options.csoManifest ? { csoManifest: options.csoManifest } : {}) };
  const steps: StepRecord[] = [];
  const startedOn = deps.now().toISOString();
  const abortSignal = deps.signal ?? new AbortController().signal;
  let failedPhase: PhaseName | undefined;
  let aborted: string | undefined;

  for (const phase of plan.phases) {
    if (failedPhase || aborted) break;
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(new PhaseTimeout(phase.name, phase.timeoutMs)), phase.timeoutMs);
    const signal = AbortSignal.any([abortSignal, timer.signal]);
    try {
      for (const step of phase.steps) {
        const record = await execute(state, step, phase.name, signal);
        steps.push(record);
        if (record.status !== 'ok') {
          failedPhase = phase.name;
          if (record.status === 'aborted') aborted = String((abortSignal.reason as Error | undefined)?.message ?? abortSignal.reason);
          break;
        }
      }
    } finally {
      clearTimeout(handle);
    }
  }
  const checksFailed = state.checks.some((c) => c.status === 'failed');
  if (failedPhase || checksFailed) {
    for (const step of plan.diagnostics) steps.push(await execute(state, step, 'diagnostics', AbortSignal.timeout(AFTER_STEP_TIMEOUT_MS), true));
  }
  let tornDown = false;
  if (!plan.keep) {
    for (const step of plan.teardown) steps.push(await execute(state, step, 'teardown', AbortSignal.timeout(AFTER_STEP_TIMEOUT_MS), true));
    tornDown = steps.filter((s) => s.phase === 'teardown').every((s) => s.status === 'ok');
  }
  const ranChecks = steps.some((s) => s.id === 'checks-run' && s.status === 'ok');
  return {
    ok: !failedPhase && !aborted && ranChecks && !checksFailed,
    bundle: plan.bundle,
    versions: plan.versions,
    startedOn,
    finishedOn: deps.now().toISOString(),
    ...(failedPhase ? { failedPhase } : checksFailed ? { failedPhase: 'checks' as const } : {}),
    ...(aborted ? { aborted } : {}),
    steps,
    checks: state.checks,
    diagnostics: state.diagnostics,
    tornDown,
  };
}

/** One step with its outcome; a rejected or timed-out handler becomes a failed record, never a throw. */
async function execute(state: RunState, step: Step, phase: StepRecord['phase'], signal: AbortSignal, bestEffort = false): Promise<StepRecord> {
  const log = state.deps.log;
  const started = Date.now();
  log.info(`${phase.padEnd(11)} ${step.title}`);
  const stopped = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
  stopped.catch(() => undefined);
  try {
    await Promise.race([runStep(state, step, signal), stopped]);
    return { id: step.id, phase, status: 'ok', durationMs: Date.now() - started };
  } catch (error) {
    const reason = signal.reason as unknown;
    // Diagnostics of a cluster that never came up have nothing to read: skipped, not failed.
    const unreachable = error instanceof PipelineError && error.code === 'E2E_NOT_READY';
    const status: StepRecord['status'] = unreachable ? 'skipped' : reason instanceof PhaseTimeout ? 'timeout' : signal.aborted && !(reason instanceof DOMException && reason.name === 'TimeoutError') ? 'aborted' : signal.aborted ? 'timeout' : 'failed';
    const message = status === 'timeout' && reason instanceof Error ? reason.message : error instanceof Error ? `${error instanceof PipelineError ? `${error.code} ` : ''}${error.message}` : String(error);
    log.warn(`${bestEffort ? `${phase} ` : ""}${step.id} ${status}: ${message}`);
    return { id: step.id, phase, status, durationMs: Date.now() - started, message: log.redact(message) };
  }
}
