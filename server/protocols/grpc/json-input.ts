import { fromJson, type DescMessage, type Message } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { createMethodSerializationLookup, getJsonOptions, limitSerialization } from '@connectrpc/connect/protocol';

type Lookup = ReturnType<typeof createMethodSerializationLookup>;
type JsonOptions = Parameters<typeof createMethodSerializationLookup>[2];
type LimitOptions = Parameters<typeof createMethodSerializationLookup>[3];

/**
 * connect-es's serialization lookup of a method, whose JSON request parser finds duplicate keys
 * faster. connect-es parses a JSON request with @bufbuild/protobuf's `fromJsonString`, which
 * refuses duplicate object keys (JSON.parse keeps the last) by scanning the text one character at
 * a time, string contents included: for a 1 MB string field (LabService.Echo, what a flooding
 * client sends) that scan was most of the call, some 10 ms of the one event loop. The parser here
 * does the same steps with the same answers and messages — TextDecoder, JSON.parse,
 * duplicate keys refused, `fromJson` with connect-es's options — and skips string contents with
 * `indexOf` (`firstDuplicateKey`). Binary and responses are connect-es's own.
 */
export function methodSerializationLookup(
  method: Parameters<typeof createMethodSerializationLookup>[0],
  binaryOptions: Parameters<typeof createMethodSerializationLookup>[1],
  jsonOptions: JsonOptions,
  limitOptions: LimitOptions,
): Lookup {
  const lookup = createMethodSerializationLookup(method, binaryOptions, jsonOptions, limitOptions);
  const jsonInput = limitSerialization({ parse: jsonMessageParser(method.input, jsonOptions), serialize: lookup.getI(false).serialize }, limitOptions);
  return { getI: (binary) => (binary ? lookup.getI(true) : jsonInput), getO: (binary) => lookup.getO(binary) };
}

function jsonMessageParser(desc: DescMessage, jsonOptions: JsonOptions): (data: Uint8Array) => Message {
  const steps = jsonInputSteps(desc, jsonOptions);
  return (data) => {
    try {
      return steps.message(steps.json(steps.text(data)));
    } catch (e) {
      throw ConnectError.from(e, Code.InvalidArgument);
    }
  };
}

/**
 * The JSON request parser's three steps, apart so that a big body can be parsed with the event
 * loop released between them (message-turns.ts); the caller turns what they throw into
 * INVALID_ARGUMENT (`ConnectError.from(e, Code.InvalidArgument)`), as connect-es does.
 */
export function jsonInputSteps(
  desc: DescMessage,
  jsonOptions: JsonOptions,
): { text(data: Uint8Array): string; json(text: string): unknown; message(json: unknown): Message } {
  const decoder = new TextDecoder();
  const options = getJsonOptions(jsonOptions);
  const fail = (reason: string, cause?: unknown): Error => new Error(`cannot decode message ${desc.typeName} from JSON: ${reason}`, { cause });
  return {
    text: (data) => decoder.decode(data),
    json(text) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw fail(e instanceof Error ? e.message : String(e), e);
      }
      const duplicate = firstDuplicateKey(text);
      if (duplicate !== undefined) throw fail(`duplicate object key "${duplicate}"`);
      return json;
    },
    message: (json) => fromJson(desc, json as never, options) as Message,
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The first object member name that repeats within its object, at any depth, in a text
 * JSON.parse has accepted (so it is well formed); undefined if none does. Names are compared
 * decoded (`"\u0061"` is `"a"`).
 */
export function firstDuplicateKey(text: string): string | undefined {
  // One Set of seen member names for each open object; arrays push null.
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const close = closingQuote(text, i);
      const seen = stack[stack.length - 1];
      if (expectKey && seen) {
        const raw = text.substring(i + 1, close);
        const name = raw.includes('\\') ? (JSON.parse(text.substring(i, close + 1)) as string) : raw;
        if (seen.has(name)) return name;
        seen.add(name);
      }
      expectKey = false;
      i = close + 1;
      continue;
    }
    if (code === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (code === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (code === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] != null;
    } else if (code === 0x3a /* : */) {
      expectKey = false;
    }
    i++;
  }
  return undefined;
}

/** Where the string opening at `open` closes: the next quote not escaped (preceded by an even run of backslashes). */
function closingQuote(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (quote - 1 - backslashes > open && text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}
