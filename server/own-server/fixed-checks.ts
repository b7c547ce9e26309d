// Lesson 15's rule (README.md, "Lesson 15's verdict"): a run of "check my server" fixed the
// student's own server when checks that failed in an earlier run of theirs pass now and nothing
// fails. Pure: the run history (run-history.ts) gives it the runs it kept.
import type { Bilingual } from '../../shared/bilingual.ts';
import type { OwnServerExerciseVerdict } from '../../contracts/exercise-checks/own-server-fixed.ts';

/** What the rule reads of one run: whose server it reached and each check's outcome. */
export interface RunOutcomes {
  /** the run reached Wirelab's own port, directly or through a forwarder (wirelab-itself.ts) */
  targetIsWirelab: boolean;
  /** how the server knew it was Wirelab (check-result.ts `wirelabSeen`); absent for runs kept before it was recorded */
  wirelabSeen?: 'peer' | 'answers-as-wirelab' | 'requests-arrived-back';
  passed: readonly string[];
  failed: readonly string[];
}

/**
 * The checks `now` fixed: it reached the student's own server (not Wirelab), none of its checks
 * failed, and these passed in it after failing in at least one of the `earlier` runs that reached
 * the student's own server (any port of theirs: `--port 0` picks a new one each start). Empty when
 * the run fixed nothing: an untouched skeleton fails, Wirelab is not the student's server, and a
 * server that never failed shows no fix.
 */
export function fixedChecks(earlier: readonly RunOutcomes[], now: RunOutcomes): string[] {
  if (now.targetIsWirelab || now.failed.length > 0) return [];
  const failedBefore = new Set(earlier.filter((run) => !run.targetIsWirelab).flatMap((run) => run.failed));
  return now.passed.filter((id) => failedBefore.has(id));
}

const list = (ids: readonly string[]) => ids.join(', ');

/** What a run means for the exercise, in both languages: what it fixed, or why it counts for nothing. */
export function exerciseNote(earlier: readonly RunOutcomes[], now: RunOutcomes, fixed: readonly string[], passedBefore: boolean): Bilingual {
  if (fixed.length > 0)
    return {
      en: `Fixed since an earlier run of your server: ${list(fixed)}. The lesson's exercise counts this.`,
      ru: `Исправлено после одного из прошлых запусков на вашем сервере: ${list(fixed)}. Упражнение урока засчитано.`,
    };
  const already: Bilingual = passedBefore
    ? { en: ' The exercise is passed already, by an earlier run.', ru: ' Упражнение уже засчитано по одному из прошлых запусков.' }
    : { en: '', ru: '' };
  if (now.targetIsWirelab && now.wirelabSeen === 'requests-arrived-back')
    return {
      en: `This run's own requests came back to Wirelab itself: the address you gave passes them on to Wirelab (a forwarder or a proxy), so its answers are Wirelab's, not your server's, and the exercise does not count it.${already.en}`,
      ru: `Запросы этого запуска вернулись в сам Wirelab: адрес, который вы указали, передаёт их в Wirelab (через пересыльщик или прокси), поэтому ответы — Wirelab, а не вашего сервера, и упражнение этот запуск не засчитывает.${already.ru}`,
    };
  if (now.targetIsWirelab)
    return {
      en: `This run reached Wirelab itself: it shows what passing looks like and proves nothing about your server, so the exercise does not count it.${already.en}`,
      ru: `Этот запуск попал в сам Wirelab: он показывает, как выглядит успех, но ничего не говорит о вашем сервере, поэтому упражнение его не засчитывает.${already.ru}`,
    };
  if (now.failed.length > 0)
    return {
      en: `${now.failed.length} failed: the exercise counts a run in which checks that failed before pass and none fails. Fix what failed and run the checks again.${already.en}`,
      ru: `Не пройдено: ${now.failed.length}. Упражнение засчитывает запуск, в котором проходят проверки, не пройденные раньше, и ни одна не падает. Исправьте ошибки и запустите проверки ещё раз.${already.ru}`,
    };
  const ownBefore = earlier.some((run) => !run.targetIsWirelab);
  return {
    en: ownBefore
      ? `Nothing failed, but nothing that failed in an earlier run of your server passes here: the exercise counts a fix.${already.en}`
      : `Nothing failed, but this is the first run of your server: the exercise counts a fix. Run the checks against the untouched starter (or with a fault), see what fails, fix it in the code and run them again.${already.en}`,
    ru: ownBefore
      ? `Ничего не упало, но и ничего из того, что не проходило в прошлых запусках на вашем сервере, здесь не исправлено: упражнение засчитывает исправление.${already.ru}`
      : `Ничего не упало, но это первый запуск на вашем сервере: упражнение засчитывает исправление. Запустите проверки на нетронутой заготовке (или с неисправностью), посмотрите, что не проходит, исправьте это в коде и запустите проверки снова.${already.ru}`,
  };
}

/** The route's `exercise` for a run: the rule's fix, the exercise's state, and the note. */
export function exerciseVerdict(earlier: readonly RunOutcomes[], now: RunOutcomes, passedBefore: boolean): OwnServerExerciseVerdict {
  const fixed = fixedChecks(earlier, now);
  return { passed: passedBefore || fixed.length > 0, fixed, note: exerciseNote(earlier, now, fixed, passedBefore) };
}
