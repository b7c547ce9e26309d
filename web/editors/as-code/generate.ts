import type { AsCodeResult } from './generated.ts';
import { httpAsCurl, httpAsGo, httpAsJavaScript, httpAsPython } from './http-code.ts';
import { grpcAsCode } from './grpc-code.ts';
import { realtimeAsCode } from './realtime-code.ts';
import type { AsCodeLanguage } from './languages.ts';
import type { AsCodeSpec, AsCodeTarget } from './spec.ts';

/** The program that does what the cell does, in one language, or why there is none. */
export function asCode(spec: AsCodeSpec, language: AsCodeLanguage, target: AsCodeTarget): AsCodeResult {
  switch (spec.kind) {
    case 'http':
      return { terminal: httpAsCurl, python: httpAsPython, go: httpAsGo, javascript: httpAsJavaScript }[language](spec, target);
    case 'grpc':
      return grpcAsCode(spec, language, target);
    default:
      return realtimeAsCode(spec, language, target);
  }
}
