import { describe, expect, it } from 'vitest';
import { artifactsBy, createPackerParser, MAX_LINE, parseLine, unescapeField } from './machine-readable.js';
import { lastRunBuilds, parseChecksumFile } from './manifest.js';

describe('parseLine', () => {
  it.each([
    ['1796550105,,ui,say,==> a: hello', { time: 1796550105, target: '', type: 'ui', data: ['say', '==> a: hello'] }],
    ['1,qemu.local,artifact,0,id,VM', { time: 1, target: 'qemu.local', type: 'artifact', data: ['0', 'id', 'VM'] }],
    ['1,a,artifact,1,string,files: x%!(PACKER_COMMA) y', { time: 1, target: 'a', type: 'artifact', data: ['1', 'string', 'files: x, y'] }],
    ['1,,ui,error,\\n==> Some builds failed:\\nline two', { time: 1, target: '', type: 'ui', data: ['error', '\n==> Some builds failed:\nline two'] }],
    ['1,n,artifact,1,id,', { time: 1, target: 'n', type: 'artifact', data: ['1', 'id', ''] }],
    ['1,,error-count,1\r', { time: 1, target: '', type: 'error-count', data: ['1'] }],
    ['1,,version,1.6.6', { time: 1, target: '', type: 'version', data: ['1.6.6'] }],
  ])('%s', (raw, want) => {
    expect(parseLine(raw)).toEqual(want);
  });

  it.each(['', 'plain text', ',,ui,say,x', 'abc,,ui,say,x'])('rejects %j', (raw) => {
    expect(parseLine(raw)).toBeUndefined();
  });

  it('cuts hostile long lines', () => {
    const line = parseLine(`1,,ui,say,${'x'.repeat(MAX_LINE * 2)}`);
    expect(line?.data[1]?.length).toBeLessThan(MAX_LINE);
  });

  it.each([
    ['a%!(PACKER_COMMA)b', 'a,b'],
    ['a\\nb\\rc', 'a\nb\rc'],
    ['C:\\\\path', 'C:\\path'],
  ])('unescapes %j', (raw, want) => {
    expect(unescapeField(raw)).toBe(want);
  });
});

describe('createPackerParser', () => {
  const run = (lines: string[]) => {
    const p = createPackerParser();
    for (const l of lines) p.push(l);
    return p.report();
  };

  it('groups artifacts by build and index and selects by builder-id, not index', () => {
    const report = run([
      '1,q,artifact-count,2',
      '1,q,artifact,0,builder-id,packer.post-processor.checksum',
      '1,q,artifact,0,id,',
      '1,q,artifact,0,files-count,2',
      '1,q,artifact,0,file,0,out/img%!(PACKER_COMMA)1.qcow2',
      '1,q,artifact,0,file,1,out/img.sha256',
      '1,q,artifact,0,end',
      '1,q,artifact,1,builder-id,transcend.qemu',
      '1,q,artifact,1,id,VM',
      '1,q,artifact,1,file,0,out/img,1.qcow2',
      '1,q,artifact,1,end',
    ]);
    expect(report.artifacts).toHaveLength(2);
    const [qemu] = artifactsBy(report, ['transcend.qemu'], 'q');
    expect(qemu).toMatchObject({ index: 1, id: 'VM', files: ['out/img,1.qcow2'], complete: true });
    expect(artifactsBy(report, ['packer.post-processor.checksum'])[0]?.files).toEqual(['out/img,1.qcow2', 'out/img.sha256']);
  });

  it('keeps per-build errors, the error count and an unfinished artifact as incomplete', () => {
    const report = run([
      '1,,error-count,1',
      '1,bad,error,open /x: no such file%!(PACKER_COMMA) sorry',
      '1,good,artifact,0,builder-id,packer.file',
      '1,good,artifact,0,id,File',
      'not machine readable',
    ]);
    expect(report.errorCount).toBe(1);
    expect(report.errors).toEqual([{ build: 'bad', message: 'open /x: no such file, sorry' }]);
    expect(report.artifacts[0]).toMatchObject({ build: 'good', complete: false });
    expect(report.unparsed).toEqual(['not machine readable']);
  });
});

describe('lastRunBuilds', () => {
  it('picks only the entries of last_run_uuid', () => {
    const text = JSON.stringify({
      builds: [
        { name: 'a', builder_type: 'qemu', build_time: 1, files: [{ name: 'old', size: 1 }], artifact_id: 'VM', packer_run_uuid: 'r1', custom_data: null },
        { name: 'a', builder_type: 'qemu', build_time: 2, files: [{ name: 'new', size: 2 }], artifact_id: 'VM', packer_run_uuid: 'r2', custom_data: { key: 'k' } },
      ],
      last_run_uuid: 'r2',
    });
    expect(lastRunBuilds(text)).toEqual([{ name: 'a', builderType: 'qemu', buildTime: 2, files: [{ name: 'new', size: 2 }], artifactId: 'VM', customData: { key: 'k' } }]);
  });

  it.each(['{', '{"builds":[]}', '[]'])('refuses %j', (text) => {
    expect(() => lastRunBuilds(text)).toThrow(/PACKER_MANIFEST_INVALID|not JSON|no builds/);
  });
});

describe('parseChecksumFile', () => {
  it.each([
    [`${'a'.repeat(64)}\timage.qcow2\n`, { 'image.qcow2': 'a'.repeat(64) }],
    [`${'b'.repeat(64)}  *x\n${'c'.repeat(64)}  y`, { x: 'b'.repeat(64), y: 'c'.repeat(64) }],
    ['garbage\n', {}],
  ])('%j', (text, want) => {
    expect(parseChecksumFile(text)).toEqual(want);
  });
});
