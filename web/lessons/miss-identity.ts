import type { CheckMiss } from '../../contracts/exercise-checks/check-types.ts';

/**
 * What makes a shown miss a new attempt: the exchange or message it is about, and the answer
 * typed. Not the capture's size, which grows with every request the page makes by itself (the
 * classroom's own progress reports among them) and would count one miss again and again.
 */
export function missIdentity(miss: CheckMiss, submitted: string | undefined): string {
  const answer = submitted ?? '';
  switch (miss.kind) {
    case 'response-differs':
    case 'wrong-answer':
    case 'no-value':
      return `${miss.kind} ${miss.exchange.conn}/${miss.exchange.index} ${answer}`;
    case 'wrong-message-answer':
      return `${miss.kind} ${miss.message.conn}/${miss.message.index} ${answer}`;
    case 'no-message':
      return `${miss.kind} ${miss.step ?? 0}/${miss.found} ${answer}`;
    case 'no-request':
      return `${miss.kind} ${miss.step ?? 0} ${answer}`;
    case 'no-answer':
    case 'wrong-pick':
      return `${miss.kind} ${answer}`;
    case 'capture-file':
      return `${miss.kind} ${miss.file}`;
  }
}
