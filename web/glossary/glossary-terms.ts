import type { Bilingual } from '../../shared/bilingual.ts';
import howARequestTravels from '../../lessons/glossary/how-a-request-travels.json';
import rest from '../../lessons/glossary/rest.json';
import protocolBuffers from '../../lessons/glossary/protocol-buffers.json';
import grpc from '../../lessons/glossary/grpc.json';
import websocket from '../../lessons/glossary/websocket.json';
import socketIo from '../../lessons/glossary/socket-io.json';
import sseAndLongPolling from '../../lessons/glossary/sse-and-long-polling.json';
import graphql from '../../lessons/glossary/graphql.json';
import mqttAndQueues from '../../lessons/glossary/mqtt-and-queues.json';
import wirelab from '../../lessons/glossary/wirelab.json';

/**
 * The course's terms in both languages: ONE Russian term per thing, the Russian (and English)
 * variants we do not write, a short definition in each language, the lessons that use it. The
 * terms are course content and live beside the lessons, in lessons/glossary/*.json (one file per
 * part of the course); this module is their one loader, and the type they are checked against:
 * tsc fails on a file whose terms lack a required field, and `glossary-data.test.ts` validates
 * each file against lessons/glossary/glossary.schema.json (no unknown field, no empty name).
 *
 * The glossary is the reference the texts are held to: `terminology.test.ts` fails when a Russian
 * lesson text or UI string uses a `wrongRu` variant (an English one a `wrongEn`), and
 * `glossary-data.test.ts` when a term lacks a language or its lesson list is not true.
 * The page `/ru/glossary`, `/en/glossary` shows it; the search (web/search) searches it.
 *
 * Variants are matched in any form of their words (web/text/word-stem.ts): «фрейм» catches
 * «фреймы» and «фреймов», «тройное рукопожатие» catches «Тройного рукопожатия». `allowRu`/`allowEn`
 * name words that merely start like a variant («фреймворк» is not «фрейм»).
 */
export interface GlossaryTerm {
  /** the anchor on the glossary page: `/en/glossary#frame` */
  id: string;
  en: string;
  ru: string;
  /** other accepted names and short forms (the search finds the term by them too) */
  alsoEn?: string[];
  alsoRu?: string[];
  /** what we do not write for this thing (calques, slang, a second word for it) */
  wrongRu?: string[];
  wrongEn?: string[];
  allowRu?: string[];
  allowEn?: string[];
  definition: Bilingual;
  /** the lessons' slugs (folder without its number), in course order */
  lessons: string[];
}

/**
 * The files of lessons/glossary/, by name, in course order (the order the search and the links
 * meet the terms in); a file there that is not listed here is a test failure, not a lost part.
 */
export const GLOSSARY_FILES: Readonly<Record<string, readonly GlossaryTerm[]>> = {
  'how-a-request-travels': howARequestTravels,
  rest,
  'protocol-buffers': protocolBuffers,
  grpc,
  websocket,
  'socket-io': socketIo,
  'sse-and-long-polling': sseAndLongPolling,
  graphql,
  'mqtt-and-queues': mqttAndQueues,
  wirelab,
};

export const GLOSSARY: GlossaryTerm[] = Object.values(GLOSSARY_FILES).flat();
