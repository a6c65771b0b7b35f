/**
 * Reports of an e2e result (pure): JUnit XML with one test case per phase and per check (a phase that stalled
 * or failed is a failure, a check that does not apply is skipped with its reason), and a Markdown summary for
 * $GITHUB_STEP_SUMMARY.
 */
import { CHECK_NAMES } from './check-names.js';
import type { E2eResult, PhaseName } from './types.js';

const PHASES: PhaseName[] = ['management', 'stack', 'cluster', 'checks', 'conformance'];

function xml(s: string): string {
  // Drop characters XML 1.0 cannot carry (control characters from tool output), then escape.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JUnit XML of a run (one suite; test cases: phases, then checks). */
export function junitXml(result: E2eResult): string {
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  for (const phase of PHASES) {
    const records = result.steps.filter((s) => s.phase === phase);
    if (records.length === 0 && phase === 'conformance') continue;
    const time = seconds(records.reduce((n, r) => n + r.durationMs, 0));
    const bad = records.find((r) => r.status !== 'ok');
    let body = '';
    if (bad) {
      failures++;
      body = `<failure type="${bad.status}" message="${xml(`${bad.id} ${bad.status}${bad.message ? `: ${bad.message}` : ''}`)}"/>`;
    } else if (records.length === 0) {
      skipped++;
      body = `<skipped message="${xml(`not run: ${result.aborted ? 'the run was aborted' : `phase ${result.failedPhase ?? '?'} failed`}`)}"/>`;
    }
    cases.push(`    <testcase classname="e2e.phases" name="${phase}" time="${time}">${body}</testcase>`);
  }
  const ran = new Map(result.checks.map((c) => [c.id, c]));
  for (const [id, name] of Object.entries(CHECK_NAMES)) {
    const c = ran.get(id);
    let body: string;
    if (!c) {
      skipped++;
      body = `<skipped message="${xml(`not run: ${result.failedPhase ? `phase ${result.failedPhase} failed` : 'the run stopped'}`)}"/>`;
    } else if (c.status === 'failed') {
      failures++;
      body = `<failure type="check" message="${xml(c.message)}"/>`;
    } else if (c.status === 'skipped') {
      skipped++;
      body = `<skipped message="${xml(c.message)}"/>`;
    } else body = '';
    cases.push(`    <testcase classname="e2e.checks" name="${xml(c?.name ?? name)}" time="0">${body}</testcase>`);
  }
  const suite = `csp e2e ${result.bundle.releaseName}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="csp e2e" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" timestamp="${xml(result.startedOn)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Markdown for $GITHUB_STEP_SUMMARY: verdict, versions, checks and the failed step. */
export function markdownSummary(result: E2eResult): string {
  const icon = (s: string) => (s === 'passed' || s === 'ok' ? '✅' : s === 'skipped' ? '⏭️' : '❌');
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `## csp e2e ${result.bundle.releaseName}: ${result.ok ? 'passed' : 'failed'}`,
    '',
    `Kubernetes ${result.bundle.kubernetesVersion} · kind ${result.versions.kind} (${result.versions.nodeImage}) · Cluster API ${result.versions.clusterApi} · CAPD ${result.versions.capd} · CSO ${result.versions.cso}`,
    '',
  ];
  if (result.aborted) lines.push(`**Aborted:** ${cell(result.aborted)}`, '');
  const bad = result.steps.find((s) => s.status !== 'ok' && s.phase !== 'diagnostics' && s.phase !== 'teardown');
  if (bad) lines.push(`**Failed step:** \`${bad.id}\` (${bad.phase}, ${bad.status})${bad.message ? `: ${cell(bad.message)}` : ''}`, '');
  lines.push('| check | result | detail |', '|---|---|---|');
  for (const c of result.checks) lines.push(`| ${cell(c.name)} | ${icon(c.status)} ${c.status} | ${cell(c.message)} |`);
  if (result.checks.length === 0) lines.push('| (checks did not run) | | |');
  lines.push('', `Teardown: ${result.tornDown ? 'done' : 'not done (see the teardown steps; --keep or a failure)'}.`);
  if (result.diagnostics.length) lines.push(`Diagnostics: ${result.diagnostics.length} files (clusterctl describe, events, controller logs).`);
  return `${lines.join('\n')}\n`;
}
