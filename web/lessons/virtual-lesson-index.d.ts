// Generated at build time by the lesson index plugin in vite.config.ts.
declare module 'virtual:wirelab-lesson-index' {
  import type { LessonIndexEntry } from './lesson-types.ts';
  const lessonIndex: LessonIndexEntry[];
  export default lessonIndex;
}

declare module 'virtual:wirelab-lesson-summaries' {
  import type { LessonSummaries } from './lesson-types.ts';
  const lessonSummaries: LessonSummaries;
  export default lessonSummaries;
}

declare module 'virtual:wirelab-exercise-titles' {
  import type { ExerciseTitles } from './exercise-titles.ts';
  const exerciseTitles: ExerciseTitles;
  export default exerciseTitles;
}

declare module 'virtual:wirelab-search-lessons' {
  import type { LessonSection } from '../search/search-documents.ts';
  const sections: LessonSection[];
  export default sections;
}
