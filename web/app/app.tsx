import { importAgain } from '../../shared/import-again.ts';
import { lazy, Suspense, useEffect } from 'react';
import lessonIndex from 'virtual:wirelab-lesson-index';
import { LangContext, type Lang } from '../kit/lang-context.ts';
import { parseRoute } from '../kit/routes.ts';
import { navigate, usePathname } from '../kit/router.tsx';
import { preferredLang, rememberLang } from './preferred-lang.ts';
import { AppHeader } from './app-header.tsx';
import { NotFound } from './not-found.tsx';
import { LoadingNote } from '../kit/loading-note.tsx';
import { markPageShown, usePageSettled } from '../kit/page-shown.ts';
import { useChunk } from '../kit/use-chunk.ts';
import { ClassroomPartsContext, type ClassroomParts } from '../kit/classroom-parts.ts';

// The reader brings the markdown parser, the editors and the inspector: the list does not wait for them.
// The list brings the lessons' summaries, which a lesson page does without.
const LessonList = lazy(() => importAgain(() => import('../lessons/lesson-list.tsx')).then((module) => ({ default: module.LessonList })));
const CompareLab = lazy(() => importAgain(() => import('../compare/compare-lab.tsx')).then((module) => ({ default: module.CompareLab })));
// The glossary (web/glossary) and the search's results (web/search, which loads the lessons' text itself).
const GlossaryPage = lazy(() => importAgain(() => import('../glossary/glossary-page.tsx')).then((module) => ({ default: module.GlossaryPage })));
const SearchPage = lazy(() => importAgain(() => import('../search/search-page.tsx')).then((module) => ({ default: module.SearchPage })));
// A capture shared by link, read-only in the inspector (web/inspector/shared-capture-page.tsx).
const SharedCapturePage = lazy(() =>
  importAgain(() => import('../inspector/shared-capture-page.tsx')).then((module) => ({ default: module.SharedCapturePage })),
);
const OwnServerPage = lazy(() => importAgain(() => import('../own-server/own-server-page.tsx')).then((module) => ({ default: module.OwnServerPage })));
// The lesson reader without Suspense (use-chunk.ts): its text shows as soon as it is in, not up to
// 300 ms later.
const loadLessonReader = () => importAgain(() => import('../lessons/lesson-reader.tsx')).then((module) => module.LessonReader);
// The course's own pages (web/course/): the quiz brings editors and the inspector, the matrix its tables.
const CourseMap = lazy(() => importAgain(() => import('../course/course-map.tsx')).then((module) => ({ default: module.CourseMap })));
const MatrixPage = lazy(() => importAgain(() => import('../course/matrix-page.tsx')).then((module) => ({ default: module.MatrixPage })));
const QuizPage = lazy(() => importAgain(() => import('../course/quiz-page.tsx')).then((module) => ({ default: module.QuizPage })));
const AsyncApiPage = lazy(() => importAgain(() => import('../asyncapi/asyncapi-page.tsx')).then((module) => ({ default: module.AsyncApiPage })));
// The class bar waits until the page's content is on screen and its first editor up (page-shown.ts).
const ClassBar = lazy(() => importAgain(() => import('../classroom/class-bar.tsx')).then((module) => ({ default: module.ClassBar })));
const JoinPage = lazy(() => importAgain(() => import('../classroom/join-page.tsx')).then((module) => ({ default: module.JoinPage })));
const TeacherPage = lazy(() => importAgain(() => import('../classroom/teacher-page.tsx')).then((module) => ({ default: module.TeacherPage })));
const JoinCardPage = lazy(() => importAgain(() => import('../classroom/join-card-page.tsx')).then((module) => ({ default: module.JoinCardPage })));
// What the classroom puts into the lesson pages, which never import it (web/kit/classroom-parts.ts).
const CLASSROOM_PARTS: ClassroomParts = {
  DockInspector: lazy(() => importAgain(() => import('../classroom/class-inspector.tsx')).then((module) => ({ default: module.ClassAwareInspector }))),
  loadCellTools: () => importAgain(() => import('../classroom/class-cell-tools.tsx')).then((module) => module.ClassCellTools),
  ShowCaptureToClass: lazy(() =>
    importAgain(() => import('../classroom/show-capture-to-class.tsx')).then((module) => ({ default: module.ShowCaptureToClass })),
  ),
};

export function App() {
  const pathname = usePathname();
  const route = parseRoute(pathname);
  const lang: Lang = route.kind === 'root' || route.lang === null ? preferredLang() : route.lang;
  const rootTo = route.kind === 'root' ? route.to : null;

  useEffect(() => {
    // the join link keeps its ?code= for the join page
    if (rootTo !== null) navigate(`/${lang}/${rootTo}${rootTo ? window.location.search : ''}${window.location.hash}`, { replace: true });
  }, [rootTo, lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    if (route.kind !== 'root' && route.lang) rememberLang(lang);
  }, [lang, route.kind]);

  const lesson = route.kind === 'lesson' ? lessonIndex.find((entry) => entry.slug === route.slug) : undefined;
  const pageSettled = usePageSettled();
  // A lesson says itself when its text is shown (lesson-reader.tsx); other pages are shown at once.
  const readingLesson = route.kind === 'lesson' && lesson !== undefined;
  useEffect(() => {
    if (readingLesson) return;
    const timer = setTimeout(markPageShown, 0);
    return () => clearTimeout(timer);
  }, [readingLesson]);

  return (
    <LangContext.Provider value={lang}>
      <AppHeader />
      {pageSettled && (
        <Suspense fallback={null}>
          <ClassBar />
        </Suspense>
      )}
      <ClassroomPartsContext.Provider value={CLASSROOM_PARTS}>
        <main id="content" className="app-main" tabIndex={-1}>
          {route.kind === 'list' && (
            <Suspense fallback={<LoadingNote />}>
              <LessonList lessons={lessonIndex} />
            </Suspense>
          )}
          {route.kind === 'lesson' && (lesson ? <LessonRoute key={`${lesson.slug}`} entry={lesson} /> : <NotFound />)}
          {route.kind === 'course' && (
            <Suspense fallback={<LoadingNote />}>
              {route.page === 'course' && <CourseMap lessons={lessonIndex} />}
              {route.page === 'matrix' && <MatrixPage />}
              {route.page === 'asyncapi' && <AsyncApiPage />}
              {route.page === 'quiz' && <QuizPage />}
            </Suspense>
          )}
          {route.kind === 'class' && (
            <Suspense fallback={<LoadingNote />}>
              {route.page === 'join' && <JoinPage />}
              {route.page === 'teach' && <TeacherPage />}
              {route.page === 'card' && <JoinCardPage />}
            </Suspense>
          )}
          {route.kind === 'compare' && (
            <Suspense fallback={<LoadingNote />}>
              <CompareLab />
            </Suspense>
          )}
          {route.kind === 'my-server' && (
            <Suspense fallback={<LoadingNote />}>
              <OwnServerPage />
            </Suspense>
          )}
          {(route.kind === 'glossary' || route.kind === 'search') && (
            <Suspense fallback={<LoadingNote />}>{route.kind === 'glossary' ? <GlossaryPage /> : <SearchPage />}</Suspense>
          )}
          {route.kind === 'capture' && (
            <Suspense fallback={<LoadingNote />}>
              <SharedCapturePage key={route.id} id={route.id} />
            </Suspense>
          )}
          {route.kind === 'not-found' && <NotFound />}
        </main>
      </ClassroomPartsContext.Provider>
    </LangContext.Provider>
  );
}

function LessonRoute({ entry }: { entry: (typeof lessonIndex)[number] }) {
  const LessonReader = useChunk(loadLessonReader);
  return LessonReader ? <LessonReader entry={entry} /> : <LoadingNote />;
}
