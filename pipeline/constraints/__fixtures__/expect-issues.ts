/** Test helper: runs one rule through the engine and compares its issues with a compact expectation. */
import { expect } from 'vitest';
import type { Severity } from '../../core/errors.js';
import type { Stack } from '../../stack/index.js';
import { runRules } from '../engine.js';
import type { Rule } from '../types.js';
import { at } from './build-stack.js';

/** A place in the built stack: [file relative to the stack, JSON pointer] (no pointer: the file itself). */
export type Place = [rel: string, pointer?: string];

/** One issue a rule should report: code, severity (default error), both places, and patterns for hint and message. */
export interface ExpectedIssue {
  code: string;
  severity?: Severity;
  at: Place;
  related: Place[];
  hint: RegExp;
  message?: RegExp;
}

/** Asserts `rule` reports exactly `expected` (in order) on `stack`, across all its targets. */
export function expectIssues(rule: Rule, stack: Stack, expected: ExpectedIssue[]): void {
  const { issues } = runRules(stack, [rule]);
  const actual = issues.map((i) => ({ code: i.code, rule: i.rule, severity: i.severity, location: i.location, related: i.related ?? [], hint: i.hint, message: i.message }));
  const wanted = expected.map((e) => ({
    code: e.code,
    rule: rule.id,
    severity: e.severity ?? 'error',
    location: at(stack, ...e.at),
    related: e.related.map((p) => at(stack, ...p)),
    hint: expect.stringMatching(e.hint),
    message: e.message ? expect.stringMatching(e.message) : expect.any(String),
  }));
  expect(actual).toEqual(wanted);
}
