import { describe, expect, it } from 'vitest';
import { locateInObject } from './locate-rendered.js';
import { objectsFromYaml } from './read-objects.js';

const stream = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: a',
  'data:',
  '  x: "1"',
  '---',
  '# comment',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: b',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: c',
  '          image: nginx',
  '',
].join('\n');

describe('locateInObject', () => {
  const { objects } = objectsFromYaml('out.yaml', stream);

  // Value positions. The first parse's document (kept by objectsFromYaml) and a fresh parse of the stream give the same place.
  it.each<[number, (string | number)[], number, number]>([
    [0, ['data', 'x'], 6, 6],
    [0, ['metadata', 'name'], 4, 9],
    [1, ['spec', 'template', 'spec', 'containers', 0, 'image'], 18, 18],
    [1, ['spec', 'missing', 'deeper'], 14, 3],
    [1, ['kind'], 10, 7],
  ])('object %i %j is at line %i column %i', (index, segments, line, column) => {
    const object = objects[index];
    if (!object) throw new Error('fixture');
    const kept = locateInObject(object, segments);
    const reparsed = locateInObject({ ...object, doc: structuredClone(object.doc) }, segments);
    expect(kept).toEqual(reparsed);
    expect([kept.line, kept.column]).toEqual([line, column]);
  });
});
