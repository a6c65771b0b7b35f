/** `npm run bench`: runs every benchmark and prints ratios against same-run baselines. */
import type { BenchFigure } from './harness.js';
import { printFigures } from './harness.js';
import { imagesBench } from './images.bench.js';
import { buildProcessBench, planProcessBench, startupBench, validateProcessBench } from './cli.bench.js';
import { lintBench } from './lint.bench.js';
import { renderBench } from './render.bench.js';
import { publishBench } from './publish.bench.js';
import { publishProcessBench } from './publish-process.bench.js';
import { planBench } from './plan.bench.js';
import { upstreamBench } from './upstream.bench.js';
import { validateBench } from './validate.bench.js';
import { catalogBench } from './catalog.bench.js';
import { buildPayloadBench } from './payload.bench.js';

const benches: Record<string, () => Promise<BenchFigure[]>> = {
  lint: lintBench,
  render: renderBench,
  publish: publishBench,
  plan: planBench,
  validate: validateBench,
  catalog: catalogBench,
  images: imagesBench,
  upstream: upstreamBench,
  startup: startupBench,
  'plan-process': planProcessBench,
  'build-process': buildProcessBench,
  'validate-process': validateProcessBench,
  'build-payload': buildPayloadBench,
  'publish-process': publishProcessBench,
};

const only = process.argv.slice(2);
const figures: BenchFigure[] = [];
for (const [name, bench] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench ${name}...\n`);
  figures.push(...(await bench()));
}
const ok = printFigures(figures, (line) => process.stdout.write(`${line}\n`));
process.exitCode = ok ? 0 : 1;
