import { eventNameProblem } from './sio-cell-config.ts';

// What the console's emit form may send: an event name and a JSON array of arguments.

export type EmitInputError = { code: 'bad-event'; reason: string } | { code: 'args-not-json'; message: string } | { code: 'args-not-array' };

export type EmitInput = { ok: true; event: string; args: unknown[] } | { ok: false; error: EmitInputError };

export function parseEmitInput(event: string, argsText: string): EmitInput {
  const eventProblem = eventNameProblem(event);
  if (eventProblem) return { ok: false, error: { code: 'bad-event', reason: eventProblem } };
  const trimmed = argsText.trim();
  if (trimmed === '') return { ok: true, event, args: [] };
  let args: unknown;
  try {
    args = JSON.parse(trimmed);
  } catch (error) {
    return { ok: false, error: { code: 'args-not-json', message: (error as Error).message } };
  }
  if (!Array.isArray(args)) return { ok: false, error: { code: 'args-not-array' } };
  return { ok: true, event, args };
}

export type AuthInput = { ok: true; auth: Record<string, unknown> } | { ok: false; message: string };

/** The `auth` object sent in the CONNECT packet: a JSON object (empty is fine). */
export function parseAuthInput(text: string): AuthInput {
  if (text.trim() === '') return { ok: true, auth: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'not-object' };
    return { ok: true, auth: value as Record<string, unknown> };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
