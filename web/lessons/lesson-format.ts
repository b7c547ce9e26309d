import type { LessonFolder } from './lesson-files.ts';
import { headingsOf, splitLessonDirectives } from './lesson-directives.ts';
import type { LessonJson } from './lesson-types.ts';
import { CELL_FILE_FORMATS, isCellKind } from './cell-kinds.ts';
import { expandSources } from './source-excerpt.ts';
import { type CaptureExerciseJson, captureExerciseProblems, captureReader } from './capture-check-format.ts';

const CHECK_TYPES = ['exchange', 'sequence', 'answer', 'message', 'message-sequence', 'message-answer', 'own-server-fixed'];

/** Everything wrong with one lesson folder (lessons/README.md), as readable sentences; [] when fine. */
export function lessonFormatProblems(lesson: LessonFolder): string[] {
  const problems: string[] = [];
  const where = lesson.folder;
  if (lesson.lessonJson === null) return [`${where}: lesson.json is missing`];
  let json: LessonJson;
  try {
    json = JSON.parse(lesson.lessonJson) as LessonJson;
  } catch (error) {
    return [`${where}/lesson.json is not valid JSON: ${(error as Error).message}`];
  }
  const cells = json.cells ?? {};
  const exercises = json.exercises ?? {};

  for (const [id, cell] of Object.entries(cells)) {
    if (!isCellKind(cell.kind)) problems.push(`${where}/lesson.json: cell "${id}" has unknown kind "${cell.kind}"`);
    if (!lesson.cellFiles.includes(cell.file)) problems.push(`${where}/lesson.json: cell "${id}" points to missing file ${cell.file}`);
    const format = isCellKind(cell.kind) ? CELL_FILE_FORMATS[cell.kind] : undefined;
    if (format && !cell.file.endsWith(format.suffix))
      problems.push(`${where}/lesson.json: cell "${id}" of kind ${cell.kind} must be a ${format.suffix} file, not ${cell.file}`);
    const text = lesson.cellTexts?.[cell.file];
    if (format && text !== undefined) for (const problem of format.problems(text)) problems.push(`${where}/${cell.file}: ${problem}`);
  }
  const readCapture = captureReader(lesson.captureFiles);
  for (const [id, exercise] of Object.entries(exercises)) {
    // a question about a capture file: its own rules, checked against the file's bytes
    if ((exercise.check as { type?: string } | undefined)?.type === 'capture') {
      problems.push(...captureExerciseProblems(where, id, exercise as unknown as CaptureExerciseJson, readCapture));
      continue;
    }
    if (exercise.cell !== undefined && !(exercise.cell in cells)) {
      problems.push(`${where}/lesson.json: exercise "${id}" starts from unknown cell "${exercise.cell}"`);
    }
    if (!CHECK_TYPES.includes(exercise.check?.type)) problems.push(`${where}/lesson.json: exercise "${id}" has no valid check`);
    if (exercise.runOnly !== undefined && exercise.runOnly !== true) problems.push(`${where}/lesson.json: exercise "${id}": runOnly is true or absent`);
    if (exercise.runOnly && exercise.check && CHECK_TYPES.includes(exercise.check.type) && ['answer', 'message-answer'].includes(exercise.check.type)) {
      problems.push(`${where}/lesson.json: exercise "${id}" asks for an answer, so it is more than running the cell: drop runOnly`);
    }
  }

  const structures = (['en', 'ru'] as const).map((lang) => {
    const file = `${where}/${lang}.md`;
    if (lesson.markdown[lang] === null) {
      problems.push(`${file} is missing`);
      return null;
    }
    const expanded = expandSources(lesson.markdown[lang], (path) => lesson.sourceTexts?.[path]);
    for (const problem of expanded.problems) problems.push(`${file}:${problem.line}: ${problem.message}`);
    const markdown = expanded.markdown;
    const split = splitLessonDirectives(markdown);
    for (const problem of split.problems) problems.push(`${file}:${problem.line}: ${problem.message}`);
    const headings = headingsOf(markdown).filter((heading) => heading.depth >= 2);
    for (const heading of headings) {
      if (heading.id === null) problems.push(`${file}:${heading.line}: heading "${heading.text}" has no {#id}`);
    }
    const placedCells = split.segments.flatMap((segment) => (segment.type === 'cell' ? [segment.id] : []));
    const placedExercises = split.segments.flatMap((segment) => (segment.type === 'exercise' ? [segment.id] : []));
    for (const id of placedCells) if (!(id in cells)) problems.push(`${file}: places cell "${id}" that lesson.json lacks`);
    for (const id of placedExercises) if (!(id in exercises)) problems.push(`${file}: places exercise "${id}" that lesson.json lacks`);
    for (const id of new Set(placedExercises)) {
      if (placedExercises.indexOf(id) !== placedExercises.lastIndexOf(id)) problems.push(`${file}: places exercise "${id}" twice`);
    }
    return {
      headingIds: headings.map((heading) => heading.id ?? `(no id: ${heading.text})`),
      cells: placedCells,
      exercises: placedExercises,
    };
  });

  const [en, ru] = structures;
  if (en && ru) {
    const compare = (what: string, a: string[], b: string[]) => {
      if (a.join('\n') !== b.join('\n')) {
        problems.push(`${where}: en.md and ru.md differ in ${what}:\n  en: ${a.join(', ') || '(none)'}\n  ru: ${b.join(', ') || '(none)'}`);
      }
    };
    compare('heading ids', en.headingIds, ru.headingIds);
    compare('placed cells', en.cells, ru.cells);
    compare('exercises', en.exercises, ru.exercises);
  }
  return problems;
}
