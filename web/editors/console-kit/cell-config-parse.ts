/** What a console's cell-file parser answers: the config, or every problem found in the file (lesson-format errors). */
export type CellConfigParse<T> = { ok: true; config: T } | { ok: false; problems: string[] };
