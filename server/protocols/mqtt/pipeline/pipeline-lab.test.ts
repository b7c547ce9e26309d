import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE_LIMITS } from './limits.ts';
import { PipelineLab, type LabHost } from './pipeline-lab.ts';

/** A lab host without a port (its consumers do not connect) whose store answers each backlog count when the test says. */
function hostAnsweringLater(): { host: LabHost; answers: Array<(count: number) => void> } {
  const answers: Array<(count: number) => void> = [];
  const host: LabHost = {
    sandbox: 'revisions',
    target: () => null,
    ownToken: () => 'lab.unused',
    countBacklog: () => new Promise<number>((resolve) => answers.push(resolve)),
    limits: DEFAULT_PIPELINE_LIMITS,
    maxPacketBytes: 262_144,
    warn: () => undefined,
  };
  return { host, answers };
}

describe('the lab’s states', () => {
  it('carry the revision of when they were begun, whichever the store finished first', async () => {
    const { host, answers } = hostAnsweringLater();
    const lab = new PipelineLab(host);
    const begunFirst = lab.state();
    const begunSecond = lab.state();
    expect(answers).toHaveLength(2);
    answers[1]!(0);
    const second = await begunSecond;
    answers[0]!(3);
    const first = await begunFirst;
    expect(second.revision).toBeGreaterThan(first.revision);
    // and a lab woken again goes on counting: its states are never taken for older ones
    const woken = new PipelineLab(host);
    const again = woken.state();
    answers[2]!(0);
    expect((await again).revision).toBeGreaterThan(second.revision);
    lab.close();
    woken.close();
  });
});
