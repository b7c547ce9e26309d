import type { Bilingual } from '../../shared/bilingual.ts';

/** A failure the lab itself describes: the page shows it in the reader's language. */
export class LabError extends Error {
  constructor(
    readonly en: string,
    readonly ru: string,
  ) {
    super(en);
  }
}

/** The job cannot be done over this protocol at all (not a failure of the run). */
export class JobNotPossible extends LabError {}

/** Either language of a failure: the lab's own words, or the technical text of anything else. */
export function describeFailure(error: unknown): Bilingual {
  if (error instanceof LabError) return { en: error.en, ru: error.ru };
  const text = error instanceof Error ? error.message : String(error);
  return { en: `failed: ${text}`, ru: `не получилось: ${text}` };
}
