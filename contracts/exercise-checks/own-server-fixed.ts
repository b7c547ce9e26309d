// Lesson 15's exercises ("<protocol>-passes", check `own-server-fixed`): the student's own server
// fixed what it failed. What that means, exactly, is the server's to decide from the runs it made
// (server/own-server/fixed-checks.ts, README "Lesson 15's verdict"); it writes its verdict into
// the answer of `POST /_wirelab/own-server/checks` as `exercise`, which the page reads here.
import type { Bilingual } from '../../shared/bilingual.ts';
import type { CheckedProtocol } from '../own-server/check-result.ts';
import type { ExchangeMatch } from './check-types.ts';

/**
 * The `exercise` member of the route's answer, present when the run was recorded as the student's
 * (the page's own session cookie; a suite that ran to its end): what it means for the exercise.
 */
export interface OwnServerExerciseVerdict {
  /** the exercise of this protocol is passed: this run or a kept earlier one fixed the student's server */
  passed: boolean;
  /** the checks that failed in an earlier run of the student's own server and pass in this one, when none fails in it */
  fixed: string[];
  /** what this run means for the exercise, in both languages (why it does not count, or what it fixed) */
  note: Bilingual;
}

/** Where the page's runs go (server/own-server/route-schema.ts has the same path). */
const CHECKS_PATH = '^/_wirelab/own-server/checks$';

/**
 * What the page looks for in its captured traffic: its own run of `protocol` whose answer says the
 * exercise is passed. The server never evaluates this (a captured exchange may come from anywhere
 * the student aims a cell); it asks its run history.
 */
export function ownServerFixedExchange(protocol: CheckedProtocol): ExchangeMatch {
  return {
    request: { method: 'POST', path: CHECKS_PATH, bodyJson: { protocol } },
    response: { status: 200, bodyJson: { protocol, exercise: { passed: true } } },
  };
}
