import type { Check } from './check-types.ts';

// What an exercise card and its strings read off a check without evaluating it: apart from
// evaluate-check.ts, which the card loads after the lesson's text is on screen.

/**
 * Does a check ask the student for an answer (the card shows an answer field, or for a question
 * about a capture file the pick the inspector sends)? Every capture question does: its answer is
 * a value typed or clicked, or the message or exchange picked.
 */
export function checkNeedsAnswer(check: Check): boolean {
  return check.type === 'answer' || check.type === 'message-answer' || check.type === 'capture';
}

/** `"0.willTopic"` → `[0, "willTopic"]`. */
export function splitReference(reference: string): [number, string] {
  const dot = reference.indexOf('.');
  return [Number(reference.slice(0, dot)), reference.slice(dot + 1)];
}
