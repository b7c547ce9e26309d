import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { CaptureQuestion } from '../../contracts/exercise-checks/capture-question.ts';
import { LangContext } from '../kit/lang-context.ts';
import { answerOfField, CaptureQuestionCard } from './capture-question-card.tsx';
import { captureQuestionStrings } from './capture-question-strings.ts';
import { lessonCaptureUrl } from './lesson-captures.ts';

const pick: CaptureQuestion = {
  type: 'capture',
  file: 'captures/grpc-not-found.pcapng',
  ask: { type: 'pick-message', match: { layer: 'h2-frame', dir: 'out', fields: { type: 'HEADERS', endStream: true } } },
};
const value: CaptureQuestion = {
  type: 'capture',
  file: 'captures/grpc-not-found.pcapng',
  ask: { type: 'message-answer', match: { layer: 'grpc-status' }, field: 'code' },
};

const render = (question: CaptureQuestion, lang: 'en' | 'ru') =>
  renderToString(
    createElement(
      LangContext.Provider,
      { value: lang },
      createElement(CaptureQuestionCard, { lesson: 'grpc', id: 'find-trailers', question, promptHtml: '<p>Which frame?</p>', hintsHtml: [] }),
    ),
  );

describe('a question about a capture file', () => {
  it('is an asset of the build, found by the lesson and the file lesson.json names', () => {
    expect(lessonCaptureUrl('grpc', 'captures/grpc-not-found.pcapng')).toMatch(/grpc-not-found[^/]*\.pcapng/);
    expect(lessonCaptureUrl('rest', 'captures/grpc-not-found.pcapng')).toBeUndefined();
    expect(lessonCaptureUrl('grpc', 'captures/nothing.pcapng')).toBeUndefined();
  });

  for (const lang of ['en', 'ru'] as const) {
    const t = captureQuestionStrings[lang];
    it(`offers to open the capture, then to answer with the selected frame (${lang})`, () => {
      const html = render(pick, lang);
      expect(html).toContain('data-testid="capture-open"');
      expect(html).toContain(t.openCapture);
      expect(html).toContain(t.pickNothing('frame'));
      // nothing selected yet: the answer button waits for a frame
      expect(html).toMatch(/<button[^>]*data-testid="capture-answer-pick"[^>]*disabled=""[^>]*>/);
      expect(html).toContain(t.answerWith('frame'));
      expect(html).not.toContain('data-testid="exercise-answer"');
    });

    it(`asks for a value, typed or taken from a field of the inspector's tree (${lang})`, () => {
      const html = render(value, lang);
      expect(html).toMatch(new RegExp(`<label for="answer-find-trailers">${t.valueLabel}</label>`));
      expect(html).toContain('data-testid="exercise-answer"');
      expect(html).toContain(t.fieldNothing);
      expect(html).not.toContain('data-testid="capture-answer-pick"');
    });
  }

  it('takes from a field the value a question compares: a bit field’s value, a code without its name', () => {
    expect(answerOfField('.... .01. = 1')).toBe('1');
    expect(answerOfField('.... .10. = 2')).toBe('2');
    expect(answerOfField('1003 unsupported data')).toBe('1003');
    expect(answerOfField('404 Not Found')).toBe('404');
    expect(answerOfField('text only')).toBe('text only');
    expect(answerOfField('lab/temp')).toBe('lab/temp');
    expect(answerOfField('21.5')).toBe('21.5');
  });

  it('says every sentence in both languages', () => {
    expect(Object.keys(captureQuestionStrings.ru).sort()).toEqual(Object.keys(captureQuestionStrings.en).sort());
  });
});
