import { describe, expect, it } from 'vitest';
import { describeFailure, JobNotPossible, LabError } from './lab-error.ts';

describe('describeFailure', () => {
  it("gives the lab's own failures in both languages, anything else as its technical text in a localized frame", () => {
    expect(describeFailure(new LabError('no fence', 'нет метки'))).toEqual({ en: 'no fence', ru: 'нет метки' });
    expect(describeFailure(new JobNotPossible('POST only', 'только POST'))).toEqual({ en: 'POST only', ru: 'только POST' });
    expect(describeFailure(new Error('/v1/users → 500'))).toEqual({ en: 'failed: /v1/users → 500', ru: 'не получилось: /v1/users → 500' });
  });
});
