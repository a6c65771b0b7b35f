/** The plan as people read it (csp e2e --dry-run): every phase, step, command line and API call, in order. */
import type { E2ePlan, Step } from './types.js';

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function line(step: Step): string {
  const a = step.action;
  if (a.kind === 'run') return `$ ${Object.entries(a.env ?? {}).map(([k, v]) => `${k}=${quote(v)} `).join('')}${[a.command, ...a.args].map(quote).join(' ')}`;
  return `[${a.cluster} API] ${a.call}`;
}

/** Text of the whole plan. */
export function formatPlan(plan: E2ePlan): string {
  const out = [
    `e2e plan for ${plan.bundle.releaseName} (Kubernetes ${plan.bundle.kubernetesVersion}, provider ${plan.provider})${plan.bundle.manifestDigest ? `, manifest ${plan.bundle.manifestDigest}` : ''}`,
    `versions: kind ${plan.versions.kind}, node image ${plan.versions.nodeImage}, Cluster API ${plan.versions.clusterApi}, CAPD ${plan.versions.capd}, CSO ${plan.versions.cso}`,
    `work dir: ${plan.workDir}`,
  ];
  for (const phase of plan.phases) {
    out.push('', `phase ${phase.name} (timeout ${Math.round(phase.timeoutMs / 60_000)} min)`);
    for (const step of phase.steps) out.push(`  ${step.id}: ${step.title}`, `      ${line(step)}`);
  }
  out.push('', 'on failure (diagnostics, kept in the work dir)');
  for (const step of plan.diagnostics) out.push(`  ${step.id}: ${step.title}`, `      ${line(step)}`);
  out.push('', plan.keep ? 'teardown: skipped (--keep); delete the clusters yourself:' : 'teardown (always, also after SIGINT/SIGTERM)');
  for (const step of plan.teardown) out.push(`  ${step.id}: ${step.title}`, `      ${line(step)}`);
  return out.join('\n');
}
