/**
 * The architecture rules of docs/architecture.md, checked from the sources: stages in a fixed order, every
 * cross-stage import through the stage's index.ts, no import circles, test support never in the program.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Stages from first to last; a stage may import only itself and earlier ones. `core` imports no stage. */
export const STAGE_ORDER = ['core', 'stack', 'constraints', 'deps', 'version', 'bundle', 'render', 'validate', 'ledger', 'images', 'release', 'sign', 'publish', 'watch', 'e2e', 'cli'] as const;

/** Back arrows still to remove, each with its reason; the test fails on any other (none today). */
export const KNOWN_BACK_ARROWS: ReadonlySet<string> = new Set<string>();

/** Folders that are not stages: test support, benchmarks and workflow checks. */
const OUTSIDE = new Set(['testing', 'bench', 'workflows', 'fuzz']);

/** One import as written: from file, to file (both relative to the repository, `.ts`), and whether type-only. */
export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;

/** Relative imports of one source file, resolved against its path (`x.js` means `x.ts`). */
export function importsOf(file: string, source: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const m of source.matchAll(IMPORT_RE)) {
    const spec = m[2] ?? m[3];
    if (!spec) continue;
    const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts');
    edges.push({ from: file, to, typeOnly: Boolean(m[1]) });
  }
  return edges;
}

/** The top folder under `pipeline/` (`render` for `pipeline/render/helm/x.ts`). */
export function folderOf(file: string): string {
  return file.split('/')[1] ?? '';
}

/** Files reachable from `entry` by any import: the program, as opposed to tests and their support. */
export function programFiles(edges: ReadonlyMap<string, readonly ImportEdge[]>, entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (seen.has(file) || !edges.has(file)) continue;
    seen.add(file);
    for (const e of edges.get(file) ?? []) todo.push(e.to);
  }
  return seen;
}

/**
 * Every rule broken by `sources` (path → text, paths like `pipeline/x/y.ts`); empty when the graph is clean.
 * The program is what `entry` reaches; tests and their helpers may import testing/ and other stages' fixtures.
 */
export function checkImportGraph(sources: ReadonlyMap<string, string>, entry = 'pipeline/cli/main.ts'): string[] {
  const problems: string[] = [];
  const order = new Map<string, number>(STAGE_ORDER.map((s, i) => [s, i]));
  const edges = new Map([...sources].map(([file, text]) => [file, importsOf(file, text)]));
  const inProgram = programFiles(edges, entry);
  const program = new Map<string, string[]>();
  for (const [file, fileEdges] of edges) {
    if (folderOf(file) === 'bench') continue;
    const test = !inProgram.has(file);
    const values: string[] = [];
    for (const edge of fileEdges) {
      if (!edge.to.startsWith('pipeline/')) continue;
      const from = folderOf(file);
      const to = folderOf(edge.to);
      if (!edge.typeOnly) values.push(edge.to);
      if (to === 'testing' && !test) problems.push(`${file} imports test support ${edge.to}`);
      if (from === to || OUTSIDE.has(to) || OUTSIDE.has(from)) continue;
      if (to !== 'core' && to !== 'cli' && edge.to !== `pipeline/${to}/index.ts` && !(test && edge.to.includes('/__fixtures__/'))) {
        problems.push(`${file} imports ${edge.to}: import another stage only through pipeline/${to}/index.ts`);
      }
      const fi = order.get(from);
      const ti = order.get(to);
      if (fi === undefined) problems.push(`${file}: folder ${from} is not in STAGE_ORDER`);
      else if (ti === undefined) problems.push(`${file} imports ${edge.to}: folder ${to} is not in STAGE_ORDER`);
      else if (ti > fi && !test && !KNOWN_BACK_ARROWS.has(`${file} -> ${edge.to}`)) problems.push(`${file} imports ${edge.to}: ${from} comes before ${to}, so it may not import it`);
    }
    if (!test) program.set(file, values);
  }
  for (const cycle of findCycles(program)) problems.push(`import circle: ${cycle.join(' -> ')}`);
  return problems;
}

/** Circles of value imports (Tarjan's strongly connected components), each listed from its first file. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

/** Reads every `.ts` file under `root/pipeline` into a map keyed by repository-relative path. */
export function readPipelineSources(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts')) out.set(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
    }
  };
  walk('pipeline');
  return out;
}
