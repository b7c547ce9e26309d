import { parseHex } from '../console-kit/hex.ts';
import { isObject, parseCellJson, samePagePathProblem, unknownKeys } from '../console-kit/json-shape.ts';
import type { CellConfigParse } from '../console-kit/cell-config-parse.ts';

/** One-click message of a WebSocket cell: text, or bytes written as hex. */
export type WebSocketPreset = { text: string } | { hex: string };

/** `*.ws.json` (lessons/README.md): where to connect, which subprotocols to offer, what to send. */
export interface WebSocketCellConfig {
  url: string;
  subprotocols: string[];
  presets: WebSocketPreset[];
}

/** RFC 6455 §4.1: a subprotocol is an HTTP token (RFC 9110 tchar). */
export const SUBPROTOCOL_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function parseWebSocketCell(text: string): CellConfigParse<WebSocketCellConfig> {
  const parsed = parseCellJson(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const value = parsed.value;
  if (!isObject(value)) return { ok: false, problems: ['the file must hold a JSON object { url, subprotocols?, presets? }'] };
  const problems = unknownKeys('the cell', value, ['url', 'subprotocols', 'presets']);
  const urlProblem = samePagePathProblem('url', value.url);
  if (urlProblem) problems.push(urlProblem);

  const subprotocols: string[] = [];
  if (value.subprotocols !== undefined) {
    if (!Array.isArray(value.subprotocols)) problems.push('subprotocols must be a list of names');
    else
      value.subprotocols.forEach((name, index) => {
        if (typeof name !== 'string' || !SUBPROTOCOL_TOKEN.test(name)) problems.push(`subprotocols.${index} must be a token such as "wirelab.chat.v1"`);
        else if (subprotocols.includes(name)) problems.push(`subprotocols.${index} "${name}" is listed twice (the browser refuses duplicates)`);
        else subprotocols.push(name);
      });
  }

  const presets: WebSocketPreset[] = [];
  if (value.presets !== undefined) {
    if (!Array.isArray(value.presets)) problems.push('presets must be a list of { "text": … } or { "hex": … }');
    else
      value.presets.forEach((preset, index) => {
        const where = `presets.${index}`;
        if (!isObject(preset)) return problems.push(`${where} must be { "text": … } or { "hex": … }`);
        const keys = Object.keys(preset);
        if (keys.length !== 1 || !(keys[0] === 'text' || keys[0] === 'hex')) return problems.push(`${where} must have exactly one field, "text" or "hex"`);
        if (typeof preset.text === 'string') return presets.push({ text: preset.text });
        if (typeof preset.hex === 'string') {
          const hex = parseHex(preset.hex);
          if (!hex.ok) return problems.push(`${where}.hex "${preset.hex}" is not bytes in hex (${hex.error.code})`);
          return presets.push({ hex: preset.hex });
        }
        return problems.push(`${where}.${keys[0]} must be a string`);
      });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { url: value.url as string, subprotocols, presets } };
}

/** The ws:/wss: URL of a same-page path. */
export function webSocketUrl(path: string, pageOrigin: string): string {
  const url = new URL(path, pageOrigin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** What the student edits in the console: kept across reloads (`useSavedDraft`); the lesson's cell gives its start. */
export interface WebSocketDraft {
  url: string;
  protocols: string;
  message: string;
  mode: 'text' | 'hex';
  closeCode: string;
  closeReason: string;
}

export function webSocketDraftOf(config: WebSocketCellConfig): WebSocketDraft {
  return { url: config.url, protocols: config.subprotocols.join(', '), message: '', mode: 'text', closeCode: '', closeReason: '' };
}
