import { describe, expect, it } from 'vitest';
import type { CheckMiss } from '../../contracts/exercise-checks/check-types.ts';
import { exerciseStrings } from './exercise-strings.ts';

describe('exercise feedback', () => {
  const closeFromServer: CheckMiss = {
    kind: 'no-message',
    expected: { layer: 'ws-frame', dir: 'out', fields: { opcode: 'close' } },
    found: 0,
    needed: 1,
    step: 1,
  };

  it('names the awaited message in words, as the lessons do, not in check notation', () => {
    expect(exerciseStrings.ru.miss(closeFromServer)).toBe('Шаг 2: теперь ожидается кадр close от сервера.');
    expect(exerciseStrings.en.miss(closeFromServer)).toBe('Step 2: now I am waiting for a close frame from the server.');
    for (const lang of ['ru', 'en'] as const) expect(exerciseStrings[lang].miss(closeFromServer)).not.toMatch(/ws-frame|[←→]|opcode=/);
  });

  it('turns a pattern of alternatives into words and keeps other fields as protocol terms', () => {
    const miss: CheckMiss = {
      kind: 'no-message',
      expected: { layer: 'graphql-ws', dir: 'out', fields: { type: '/^(next|data)$/', data: true } },
      found: 0,
      needed: 1,
    };
    expect(exerciseStrings.ru.miss(miss)).toBe(
      'С тех пор как вы открыли урок, в вашем трафике такого ещё не было: сообщение GraphQL по WebSocket от сервера (type: next или data, data: true).',
    );
  });

  it('names an MQTT packet by its type and says which earlier step it must agree with', () => {
    const miss: CheckMiss = {
      kind: 'no-message',
      expected: { layer: 'mqtt-packet', dir: 'out', fields: { type: 'PUBREC' }, sameAs: { packetId: '0.packetId' }, sameConnectionAs: 0 },
      found: 0,
      needed: 1,
      step: 1,
    };
    expect(exerciseStrings.en.miss(miss)).toBe(
      'Step 2: now I am waiting for a PUBREC packet from the server (packetId: the packetId of step 1, on the connection of step 1).',
    );
    expect(exerciseStrings.ru.miss(miss)).toBe('Шаг 2: теперь ожидается пакет PUBREC от сервера (packetId: как packetId в шаге 1, в соединении шага 1).');
  });

  it('says which message must not come between two steps', () => {
    const miss: CheckMiss = {
      kind: 'no-message',
      expected: {
        layer: 'mqtt-packet',
        dir: 'out',
        fields: { type: 'PUBLISH' },
        sameAs: { topic: '0.willTopic' },
        without: [{ layer: 'mqtt-packet', dir: 'in', fields: { type: 'PUBLISH' } }],
      },
      found: 0,
      needed: 1,
      step: 1,
    };
    expect(exerciseStrings.en.miss(miss)).toBe(
      'Step 2: now I am waiting for a PUBLISH packet from the server (topic: the willTopic of step 1, with no PUBLISH packet from the client before it).',
    );
    expect(exerciseStrings.ru.miss(miss)).toBe(
      'Шаг 2: теперь ожидается пакет PUBLISH от сервера (topic: как willTopic в шаге 1, и перед ним не было: пакет PUBLISH от клиента).',
    );
  });

  it('does not claim the server saw an answer typed into the page', () => {
    expect(exerciseStrings.en.passedMessage).not.toMatch(/server saw/);
    expect(exerciseStrings.ru.passedMessage).not.toMatch(/сервер увидел/);
  });
});
