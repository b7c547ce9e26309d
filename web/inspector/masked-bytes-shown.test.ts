import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../../wire/decode-connection.ts';
import { decodeChunk, type CaptureFixture } from '../../wire/fixtures/read-fixture.ts';
import type { WireMessage, WireNode } from '../../wire/types.ts';
import type { ConnectionView } from './capture-store.ts';
import { messageSections } from './exchange-sections.ts';
import { blockBytes, type HexSection } from './hex-rows.ts';
import { inspectorStrings } from './strings.ts';
import { deepestPathAt, nodeAt, viewOf } from './tree-paths.ts';

// Issue 24: a browser's WebSocket frames are masked, and the inspector lit the masked bytes for
// fields that MQTT or graphql-ws read from the unmasked payload (`fixed header 0x34` over `b2`).
// Every node of every message on a masked connection of the recorded fixtures is hovered here as
// the inspector does (the bytes its highlight lights, in the block it lights them in), and those
// bytes must say what the node says.

const wireFolder = join(import.meta.dirname, '..', '..', 'wire');
const fixtureFiles = [
  join(wireFolder, 'fixtures'),
  ...readdirSync(wireFolder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(wireFolder, entry.name, 'fixtures')),
].flatMap((folder) => {
  try {
    return readdirSync(folder)
      .filter((name) => name.endsWith('.json'))
      .map((name) => join(folder, name));
  } catch {
    return [];
  }
});

const utf8 = new TextDecoder('utf-8', { fatal: true });
const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');

/** The bytes the hex view lights when `node` is hovered in the tree. */
function litBytes(section: HexSection, node: WireNode): Uint8Array {
  return blockBytes(section, viewOf(node)).subarray(node.range.start - section.start, node.range.end - section.start);
}

/** What `node` says its bytes are, checked against them; undefined for kinds without a byte-level claim. */
function claimHolds(node: WireNode, bytes: Uint8Array): boolean | undefined {
  const value = node.value ?? '';
  const text = () => {
    try {
      return utf8.decode(bytes);
    } catch {
      return undefined;
    }
  };
  switch (node.kind) {
    case 'fixed-header':
    case 'connect-flags':
      return value === `0x${hex(bytes.subarray(0, 1))}`;
    case 'string-length':
      return value === String((bytes[0] << 8) | bytes[1]);
    case 'string-data':
      return node.label === 'UTF-8' ? text() === value : undefined;
    case 'packet-id':
      return bytes.length === 2 && value.startsWith(String((bytes[0] << 8) | bytes[1]));
    case 'ws-masking-key':
      return value === hex(bytes);
    case 'ws-close-code':
      return value.startsWith(`${(bytes[0] << 8) | bytes[1]} `);
    case 'ws-close-reason':
      return text() === value;
    case 'graphql-ws-type':
    case 'graphql-ws-id': {
      const entry = JSON.parse(`{${text()}}`) as Record<string, unknown>;
      const key = node.kind === 'graphql-ws-type' ? 'type' : 'id';
      return String(entry[key]) === value;
    }
    case 'json-value': {
      const json = text();
      if (json === undefined || value.endsWith('…') || value.startsWith('{…}') || value.startsWith('[…]')) return undefined;
      return JSON.stringify(JSON.parse(json)) === value;
    }
    default:
      return undefined;
  }
}

function* walk(node: WireNode): Generator<WireNode> {
  yield node;
  for (const child of node.children ?? []) yield* walk(child);
}

interface MaskedCase {
  file: string;
  view: ConnectionView;
  message: WireMessage;
}

function maskedCases(): MaskedCase[] {
  const cases: MaskedCase[] = [];
  for (const file of fixtureFiles) {
    const fixture = JSON.parse(readFileSync(file, 'utf8')) as CaptureFixture;
    if (!Array.isArray(fixture.connections) || !Array.isArray(fixture.chunks)) continue;
    const chunks = fixture.chunks.map(decodeChunk);
    for (const connection of fixture.connections) {
      const decoded = decodeConnection(
        connection,
        chunks.filter((chunk) => chunk.conn === connection.id),
      );
      if (!decoded.masks || decoded.masks.in.length === 0) continue;
      const view: ConnectionView = {
        connection,
        exchanges: [],
        notes: decoded.notes,
        messages: decoded.messages ?? [],
        streams: decoded.streams,
        masks: decoded.masks,
        bytes: 0,
      };
      for (const message of view.messages) if (message.dir === 'in') cases.push({ file, view, message });
    }
  }
  return cases;
}

describe('the bytes a node of a masked WebSocket frame lights (issue 24)', () => {
  const cases = maskedCases();

  it('finds masked client frames in the fixtures: MQTT over WebSocket and graphql-ws', () => {
    const layers = new Set(cases.map(({ message }) => message.layer));
    expect(layers).toContain('ws-frame');
    expect(layers).toContain('mqtt-packet');
    expect(layers).toContain('graphql-ws');
  });

  it('lights, for every node, bytes that say what the node says', () => {
    const checked = new Map<string, number>();
    for (const { file, view, message } of cases) {
      const [section] = messageSections(message, view, inspectorStrings.en);
      for (const node of walk(message.tree)) {
        const holds = claimHolds(node, litBytes(section, node));
        if (holds === undefined) continue;
        expect(holds, `${file} ${message.layer} #${message.index} ${node.kind} "${node.value}" over ${hex(litBytes(section, node))}`).toBe(true);
        checked.set(node.kind, (checked.get(node.kind) ?? 0) + 1);
      }
    }
    for (const kind of ['fixed-header', 'string-length', 'string-data', 'ws-masking-key', 'graphql-ws-type', 'json-value'])
      expect(checked.get(kind) ?? 0, kind).toBeGreaterThan(0);
  });

  it('shows a client MQTT PUBLISH with its masked bytes and, unmasked, the 0x3_ its fixed header reads', () => {
    const publish = cases.find(({ message }) => message.layer === 'mqtt-packet' && message.fields?.type === 'PUBLISH');
    expect(publish).toBeDefined();
    const { message, view } = publish!;
    const [section] = messageSections(message, view, inspectorStrings.en);
    const stream = view.streams.in.slice(message.range);
    expect([...section.bytes]).toEqual([...stream]);
    const fixedHeader = message.tree.children!.find((child) => child.kind === 'fixed-header')!;
    expect(fixedHeader.unmasked).toBe(true);
    expect(litBytes(section, fixedHeader)[0] >> 4).toBe(3);
    expect(section.unmasked![0]).not.toBe(section.bytes[0]);
  });

  it('hovering a byte finds the node of the block it is in: the unmasked field, or the masked payload on the wire', () => {
    for (const { view, message } of cases.filter(({ message }) => message.layer === 'ws-frame')) {
      const [section] = messageSections(message, view, inspectorStrings.en);
      const payload = message.tree.children?.find((child) => child.kind === 'ws-payload');
      if (!payload || !section.unmasked) continue;
      const offset = payload.range.start;
      const onWire = nodeAt(message.tree, deepestPathAt(message.tree, offset, 'wire')!)!;
      expect(onWire.unmasked).toBeUndefined();
      expect(onWire.kind).toBe('ws-payload');
      const unmasked = nodeAt(message.tree, deepestPathAt(message.tree, offset, 'unmasked')!)!;
      expect(unmasked.unmasked).toBe(true);
    }
  });

  it('never marks a server frame: nothing there is masked', () => {
    for (const file of fixtureFiles) {
      const fixture = JSON.parse(readFileSync(file, 'utf8')) as CaptureFixture;
      if (!Array.isArray(fixture.connections)) continue;
      const chunks = fixture.chunks.map(decodeChunk);
      for (const connection of fixture.connections) {
        const decoded = decodeConnection(
          connection,
          chunks.filter((chunk) => chunk.conn === connection.id),
        );
        for (const message of decoded.messages ?? []) if (message.dir === 'out') expect([...walk(message.tree)].some((node) => node.unmasked)).toBe(false);
      }
    }
  });
});
