// The glossary's content lives in lessons/glossary/*.json (issue 56, item 4); these tests hold the
// files to the one type the course reads them as: every file loaded, every term valid against
// lessons/glossary/glossary.schema.json, and the schema to GlossaryTerm's fields.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { GLOSSARY, GLOSSARY_FILES, type GlossaryTerm } from './glossary-terms.ts';

const FOLDER = join(import.meta.dirname, '..', '..', 'lessons', 'glossary');
const SCHEMA_FILE = 'glossary.schema.json';
const schema = JSON.parse(readFileSync(join(FOLDER, SCHEMA_FILE), 'utf8')) as { items: { properties: Record<string, unknown> } };
const validate = new Ajv({ allErrors: true }).compile(schema);

/** Every field of a term, as the type has it: tsc fails here when a field is added to GlossaryTerm or taken away. */
const FIELDS: Record<keyof GlossaryTerm, true> = {
  id: true,
  en: true,
  ru: true,
  alsoEn: true,
  alsoRu: true,
  wrongRu: true,
  wrongEn: true,
  allowRu: true,
  allowEn: true,
  definition: true,
  lessons: true,
};

/** What ajv says is wrong with `data`, one line per error. */
function problems(data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

describe('the glossary files (lessons/glossary/)', () => {
  it('loads every file of the folder, and only those', () => {
    const files = readdirSync(FOLDER)
      .filter((name) => name.endsWith('.json') && name !== SCHEMA_FILE)
      .map((name) => name.replace(/\.json$/, ''));
    expect(Object.keys(GLOSSARY_FILES).sort()).toEqual(files.sort());
    expect(GLOSSARY).toHaveLength(Object.values(GLOSSARY_FILES).reduce((count, terms) => count + terms.length, 0));
  });

  for (const name of Object.keys(GLOSSARY_FILES))
    it(`${name}.json fits the schema`, () => {
      expect(problems(JSON.parse(readFileSync(join(FOLDER, `${name}.json`), 'utf8')))).toEqual([]);
    });

  it("the schema names exactly GlossaryTerm's fields", () => {
    expect(Object.keys(schema.items.properties).sort()).toEqual(Object.keys(FIELDS).sort());
  });

  it('the schema refuses a term without a language, a definition in one, or with a field the type lacks', () => {
    const term = structuredClone(GLOSSARY[0]!) as unknown as Record<string, unknown> & { definition: Record<string, unknown> };
    const without = (change: (copy: typeof term) => void) => {
      const copy = structuredClone(term);
      change(copy);
      return problems([copy]);
    };
    expect(problems([term])).toEqual([]);
    expect(without((copy) => delete copy.ru)).toEqual(["/0 must have required property 'ru'"]);
    expect(without((copy) => delete copy.en)).toEqual(["/0 must have required property 'en'"]);
    expect(without((copy) => delete copy.definition.ru)).toEqual(["/0/definition must have required property 'ru'"]);
    expect(without((copy) => delete copy.definition.en)).toEqual(["/0/definition must have required property 'en'"]);
    expect(without((copy) => (copy.ru = ' '))).toEqual(['/0/ru must match pattern "\\S"']);
    expect(without((copy) => (copy.defintion = copy.definition))).toEqual(['/0 must NOT have additional properties']);
  });
});
