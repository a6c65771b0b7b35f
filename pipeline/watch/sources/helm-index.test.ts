/** The streaming Helm index reader: YAML and JSON indexes, any entry order, garbage, and a 60 MB index in bounded memory. */
import { describe, expect, it } from 'vitest';
import { indexText } from '../../testing/upstream.js';
import { helmIndexConsumer } from './helm-index.js';

function read(text: string, wanted: string[], chunk = 7): ReturnType<ReturnType<typeof helmIndexConsumer>['end']> {
  const consumer = helmIndexConsumer(wanted);
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += chunk) consumer.write(bytes.subarray(i, i + chunk));
  return consumer.end();
}

const repo = {
  cilium: [{ version: '1.17.4' }, { version: '1.18.0-pre.1' }, { version: '1.17.8', removed: true }],
  'other-chart': [{ version: '9.9.9' }],
  'metrics-server': [{ version: '3.12.2', kubeVersion: '>=1.19.0-0' }],
};

describe('helmIndexConsumer', () => {
  it.each([
    ['YAML as Helm writes it', indexText(repo)],
    ['JSON', indexText(repo, true)],
    ['YAML with list items indented under the chart key', indexText(repo).replace(/^( {2}- )/gm, '    - ').replace(/^( {4})(?=[a-z])/gm, '      ')],
    ['CRLF line ends and comments', `# generated\r\n${indexText(repo).replaceAll('\n', '\r\n')}`],
  ])('%s: keeps only the wanted charts, every entry in upstream order', (_name, text) => {
    const result = read(text, ['cilium', 'metrics-server', 'absent']);
    expect(Object.keys(result).sort()).toEqual(['cilium', 'metrics-server']);
    expect(result.cilium!.map((e) => `${String(e.version)}${e.removed ? ' removed' : ''}`)).toEqual(['1.17.4', '1.18.0-pre.1', '1.17.8 removed']);
    expect(result['metrics-server']![0]!.kubeVersion).toBe('>=1.19.0-0');
    expect(String(result.cilium![0]!.digest)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['an HTML page', '<html><body>captive portal</body></html>\n', /not a chart name|no "entries:"/],
    ['YAML without entries', 'apiVersion: v1\ngenerated: now\n', /no "entries:"/],
    ['broken JSON', '{"entries": {"cilium": [', /JSON/],
    ['entries that are not a list', 'apiVersion: v1\nentries:\n  cilium:\n    version: 1\n', /not a list/],
  ])('refuses %s', (_name, text, error) => {
    expect(() => read(text, ['cilium'])).toThrow(error);
  });

  it('streams a 60 MB index while holding only the wanted entries', () => {
    const consumer = helmIndexConsumer(['cilium']);
    const encoder = new TextEncoder();
    consumer.write(encoder.encode('apiVersion: v1\nentries:\n'));
    let sent = 0;
    let maxRetained = 0;
    for (let chart = 0; sent < 60 * 1024 * 1024; chart++) {
      let block = `  filler-${chart}:\n`;
      for (let v = 0; v < 200; v++) block += `  - name: filler-${chart}\n    version: 1.${chart}.${v}\n    description: ${'x'.repeat(120)}\n    urls:\n    - https://example.invalid/f.tgz\n`;
      consumer.write(encoder.encode(block));
      sent += block.length;
      maxRetained = Math.max(maxRetained, consumer.retainedBytes());
    }
    consumer.write(encoder.encode('  cilium:\n  - name: cilium\n    version: 1.17.7\n'));
    const result = consumer.end();
    expect(result.cilium!.map((e) => e.version)).toEqual(['1.17.7']);
    expect(sent).toBeGreaterThan(60 * 1024 * 1024);
    expect(maxRetained).toBeLessThan(1024);
  });
});
