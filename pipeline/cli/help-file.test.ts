import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from './commands.js';
import { answerCommandHelp, answerWithoutCommand } from './help-answer.js';
import { HELP_FILE, readHelpFile, writeHelpFile } from './help-file.js';
import { liveHelp } from './help.js';

describe('help.json (texts written at build time)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-help-'));
    fs.writeFileSync(path.join(dir, 'main.js'), 'export {};\n');
    await writeHelpFile(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([[['--help']], [[]], [['help']], [['help', 'plan']], [['help', 'nope']], [['help', 'constructor']], [['--version']], [['lint', '--help']], [['build', '-h']], [['nope', '--help']], [['lint', '--help', '-v']], [['lint']]])(
    'answers %j exactly as the command specs do',
    (argv) => {
      const written = readHelpFile(dir);
      expect(written).toBeDefined();
      const answer = (source: typeof liveHelp) => answerWithoutCommand(source, argv) ?? answerCommandHelp(source, argv, {});
      expect(answer(written!)).toEqual(answer(liveHelp));
    },
  );

  it('holds every command', () => {
    for (const name of Object.keys(commands)) expect(readHelpFile(dir)?.command(name)).toBe(liveHelp.command(name));
  });

  it.each<[string, () => void]>([
    ['a compiled module rewritten (another build)', () => fs.utimesSync(path.join(dir, 'main.js'), new Date(), new Date(Date.now() + 5000))],
    ['a compiled module added', () => fs.writeFileSync(path.join(dir, 'extra.js'), '')],
    ['garbage', () => fs.writeFileSync(path.join(dir, HELP_FILE), '{')],
    ['texts of the wrong type', () => fs.writeFileSync(path.join(dir, HELP_FILE), JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(dir, HELP_FILE), 'utf8')), top: 1 }))],
    ['missing', () => fs.rmSync(path.join(dir, HELP_FILE))],
  ])('is not used when %s', (_name, change) => {
    change();
    expect(readHelpFile(dir)).toBeUndefined();
  });

  it('a CSP_LIMIT_ variable leaves CMD --help to main (which checks limits first)', () => {
    expect(answerCommandHelp(liveHelp, ['lint', '--help'], { CSP_LIMIT_X: '1' })).toBeUndefined();
  });
});
