/**
 * Packer's `-machine-readable` output (node-images.md §6): `<ts>,<target>,<type>,<data…>` lines, commas in
 * data escaped as `%!(PACKER_COMMA)`, newlines as a literal `\n`. Artifacts are collected per build and
 * selected later by builder-id, never by index (post-processor results share the list).
 */

/** One parsed line. */
export interface PackerLine {
  time: number;
  /** Build name, or '' for run-wide lines. */
  target: string;
  type: string;
  data: string[];
}

/** One artifact as Packer reported it. */
export interface PackerArtifact {
  build: string;
  index: number;
  builderId: string;
  id: string;
  text: string;
  files: string[];
  /** false when the run ended before the artifact's `end` line (interrupted or truncated output). */
  complete: boolean;
}

/** Everything one run reported; JSON-serialisable. */
export interface PackerReport {
  artifacts: PackerArtifact[];
  /** `error` lines per build (the run-wide `error-count` is their number). */
  errors: { build: string; message: string }[];
  errorCount: number;
  /** Step lines (`==> build: …`) with their time, for phase timings (at most 500). */
  timeline: { time: number; text: string }[];
  /** `ui,error` texts (at most 50), e.g. validate's reasons. */
  uiErrors: string[];
  /** Lines that were not `<ts>,<target>,<type>,…` (kept for diagnostics, at most 50). */
  unparsed: string[];
}

/** Longest line kept; a longer one is cut so hostile output cannot grow memory without bound. */
export const MAX_LINE = 64 * 1024;
const MAX_UNPARSED = 50;
const MAX_ERRORS = 200;

/** Undoes Packer's escaping of one data field. */
export function unescapeField(field: string): string {
  return field.replaceAll('%!(PACKER_COMMA)', ',').replace(/\\([nr\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
}

/** Parses one line; undefined when it is not machine-readable output. */
export function parseLine(raw: string): PackerLine | undefined {
  const line = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw.replace(/\r$/, '');
  const m = /^(\d+),([^,]*),([^,]+),?(.*)$/s.exec(line);
  if (!m) return undefined;
  const [, ts = '0', target = '', type = '', rest = ''] = m;
  return { time: Number(ts), target, type, data: rest === '' && !line.endsWith(',') ? [] : rest.split(',').map(unescapeField) };
}

/** Incremental parser: feed stdout lines as they arrive, then read the report. */
export function createPackerParser(onLine?: (line: PackerLine) => void): { push(raw: string): void; report(): PackerReport } {
  const artifacts = new Map<string, PackerArtifact>();
  const report: PackerReport = { artifacts: [], errors: [], errorCount: 0, timeline: [], uiErrors: [], unparsed: [] };
  const artifactOf = (build: string, index: number): PackerArtifact => {
    const key = `${build}\u0000${index}`;
    let a = artifacts.get(key);
    if (!a) {
      a = { build, index, builderId: '', id: '', text: '', files: [], complete: false };
      artifacts.set(key, a);
    }
    return a;
  };
  return {
    push(raw) {
      if (raw.trim() === '') return;
      const line = parseLine(raw);
      if (!line) {
        if (report.unparsed.length < MAX_UNPARSED) report.unparsed.push(raw.slice(0, 500));
        return;
      }
      onLine?.(line);
      if (line.type === 'ui' && line.data[1]?.startsWith('==> ') && report.timeline.length < 500) report.timeline.push({ time: line.time, text: line.data[1] });
      if (line.type === 'ui' && line.data[0] === 'error' && report.uiErrors.length < 50) report.uiErrors.push(line.data.slice(1).join(',').trim());
      if (line.type === 'error-count') report.errorCount = Number(line.data[0] ?? 0) || 0;
      else if (line.type === 'error' && line.target !== '' && report.errors.length < MAX_ERRORS) {
        report.errors.push({ build: line.target, message: line.data.join(',') });
      } else if (line.type === 'artifact') applyArtifactLine(artifactOf(line.target, Number(line.data[0])), line.data.slice(1));
    },
    report() {
      return { ...report, artifacts: [...artifacts.values()].sort((a, b) => (a.build < b.build ? -1 : a.build > b.build ? 1 : a.index - b.index)) };
    },
  };
}

function applyArtifactLine(a: PackerArtifact, data: string[]): void {
  const [kind, ...rest] = data;
  switch (kind) {
    case 'builder-id': a.builderId = rest.join(','); break;
    case 'id': a.id = rest.join(','); break;
    case 'string': a.text = rest.join(','); break;
    case 'file': a.files.push(rest.slice(1).join(',')); break;
    case 'end': a.complete = true; break;
    default: break;
  }
}

/** The artifacts of `build` whose builder-id is one of `builderIds` (post-processor results are skipped). */
export function artifactsBy(report: PackerReport, builderIds: readonly string[], build?: string): PackerArtifact[] {
  return report.artifacts.filter((a) => builderIds.includes(a.builderId) && (build === undefined || a.build === build));
}

/** The builder-id each Packer builder reports (node-images.md §6). */
export const BUILDER_IDS = {
  qemu: 'transcend.qemu',
  openstack: 'mitchellh.openstack',
  hcloud: 'hcloud.builder',
  file: 'packer.file',
  null: 'fnoeding.null',
} as const;
