import { toJson, type DescMessage, type Message } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { createMethodSerializationLookup, getJsonOptions, limitSerialization } from '@connectrpc/connect/protocol';
import { jsonInputSteps } from './json-input.ts';
import { jsonBytesInSteps } from './json-output.ts';
import { TurnQueue } from './turn-queue.ts';

type LookupParameters = Parameters<typeof createMethodSerializationLookup>;

/**
 * From this request size on, the fast paths parse the request and serialize the answer in turns
 * (`messagesInTurns`). A lesson's messages are a few hundred bytes and never reach it; a 1 MB
 * echo does.
 */
export const IN_TURNS_MIN_BYTES = 64 * 1024;

const NO_BYTES = new Uint8Array(0);

/** Every call's big steps in one line, one a turn (turn-queue.ts). */
const bigSteps = new TurnQueue();

/** A later turn of the event loop than any big step asked for before: what arrived meanwhile (other clients' requests) is read and answered first. */
export const nextTurn = (): Promise<void> => bigSteps.next();

export interface MessagesInTurns {
  /**
   * the request message: what connect-es's limited serialization parses, with its errors. JSON:
   * `release` is called once nothing reads `data` any more (decoded as text, or refused); binary:
   * never (the message may keep views of `data`)
   */
  parse(binary: boolean, data: Uint8Array, release?: () => void): Promise<Message>;
  /** the answer's bytes: what connect-es's limited serialization writes, with its errors */
  serialize(binary: boolean, message: Message): Promise<Uint8Array>;
}

/**
 * A method's messages parsed and serialized as connect-es does (the same results, error codes
 * and messages as `methodSerializationLookup`), in steps with the event loop released between
 * them. One event loop serves every student: a 1 MB JSON echo is about 10 ms of UTF-8 decoding,
 * JSON.parse, JSON.stringify and UTF-8 encoding, and held in one piece it made every request that
 * arrived meanwhile wait for all of it (issue 25's soak). In turns, such a request waits for one
 * step at most — one of any call's: the steps of all calls take turns (turn-queue.ts). The total
 * work is the same; a binary message is one step each way (its decoding is one call of
 * @bufbuild/protobuf's), with turns around it.
 */
export function messagesInTurns(
  method: LookupParameters[0],
  binaryOptions: LookupParameters[1],
  jsonOptions: LookupParameters[2],
  limitOptions: LookupParameters[3],
  turn: () => Promise<void> = nextTurn,
): MessagesInTurns {
  const lookup = createMethodSerializationLookup(method, binaryOptions, jsonOptions, limitOptions);
  // connect-es's own read and write limits, asserted on bytes that pass through unchanged.
  const limits = limitSerialization<Uint8Array>({ parse: (data) => data, serialize: (data) => data as Uint8Array<ArrayBuffer> }, limitOptions);
  const input = jsonInputSteps(method.input as DescMessage, jsonOptions);
  const writeOptions = getJsonOptions(jsonOptions);
  const prettySpaces = (writeOptions as { prettySpaces?: number }).prettySpaces ?? 0;
  const encoder = new TextEncoder();
  return {
    async parse(binary, data, release) {
      await turn();
      if (binary) return lookup.getI(true).parse(data) as Message;
      try {
        let text: string;
        try {
          limits.parse(data);
          text = input.text(data);
        } finally {
          // V8 keeps an async function's parameters and locals until it returns: the bytes,
          // decoded, and then the text, parsed, are let go for the turns that follow (a 1 MB
          // echo's would otherwise wait for a full collection).
          data = NO_BYTES;
          release?.();
        }
        await turn();
        const json = input.json(text);
        text = '';
        await turn();
        return input.message(json);
      } catch (e) {
        throw ConnectError.from(e, Code.InvalidArgument);
      }
    },
    async serialize(binary, message) {
      await turn();
      if (binary) return lookup.getO(true).serialize(message as never);
      let bytes: Uint8Array;
      try {
        // toJsonString's two steps (@bufbuild/protobuf; connect-es's options carry no prettySpaces), then the encoding connect-es does:
        // without indentation, a long string stringified in slices, a step a turn, then encoded once (json-output.ts).
        const json = toJson(method.output as DescMessage, message as never, writeOptions);
        if (prettySpaces === 0) bytes = await jsonBytesInSteps(json, turn);
        else {
          const text = JSON.stringify(json, null, prettySpaces);
          await turn();
          bytes = encoder.encode(text);
        }
      } catch (e) {
        throw ConnectError.from(e, Code.Internal);
      }
      return limits.serialize(bytes);
    },
  };
}
