import { useState } from 'react';
import { sessionReady } from '../../kit/session.ts';
import type { InspectedExchange } from '../../inspector/capture-store.ts';
import { bilingual, type useConsoleLog } from '../console-kit/console-log.tsx';
import { exchangeLink, requestsInTurn } from '../console-kit/inspector-links.ts';
import { messageOf } from '../console-kit/text.ts';
import { pageMark } from './lab-connection.ts';
import { problemText, type LabView } from './lab-state.ts';
import { useLabConnection } from './use-lab-connection.ts';
import { pipelineStrings } from './strings.ts';

const say = bilingual(pipelineStrings);

const LAB_PATH = '/api/v1/pipeline';
/** Orders of this page, numbered from 1 across its cells. */
let lastOrder = 0;

type Log = ReturnType<typeof useConsoleLog>;

/** A refusal of the lab's REST API, with the problem's text in both languages. */
function logRefusal(
  log: Log,
  response: Response,
  problem: unknown,
  text: (lang: 'en' | 'ru', problem: string) => string,
  extra: Partial<Parameters<Log['add']>[0]>,
) {
  log.add({
    kind: 'error',
    badge: String(response.status),
    text: { en: text('en', problemText(problem, 'en')), ru: text('ru', problemText(problem, 'ru')) },
    ...extra,
  });
}

/**
 * The page's side of the lab: the lab's state and the notifications (one stream and one broker
 * connection per page, lab-connection.ts), and what the student does — call the worker, publish
 * orders, change consumers — each logged with a link to its bytes.
 */
export function usePipelineLab(log: Log, onExchange: ((exchange: InspectedExchange) => void) | undefined) {
  const { answered, broker: labBroker, ...connection } = useLabConnection();
  const [calls] = useState(requestsInTurn);

  /**
   * Finds the captured exchange of a request the page is about to send; its two rows (the call
   * and its answer) look for it again at a click after a miss, within its window: up to the next
   * call of that method and target.
   */
  const watch = (method: string, target: string) =>
    exchangeLink(calls.watch({ method, target, accept: (candidate) => candidate.response !== undefined }, onExchange));

  const callWorker = async () => {
    await sessionReady();
    const order = ++lastOrder;
    const path = `${LAB_PATH}/notifications`;
    const inspect = watch('POST', path);
    log.add({ kind: 'sent', badge: 'REST', text: say((t) => t.calling(order)), inspect, inspectLabel: say((t) => t.bytes) });
    const started = performance.now();
    try {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order, text: pageMark }),
        credentials: 'same-origin',
      });
      const body: unknown = await response.json().catch(() => null);
      const ms = Math.round(performance.now() - started);
      if (response.status === 201) {
        log.add({ kind: 'received', badge: '201', text: say((t) => t.called(201, ms)), inspect, data: { event: 'rest-ok', status: '201' } });
        return;
      }
      const retryAfter = response.headers.get('retry-after');
      logRefusal(log, response, body, (lang, problem) => pipelineStrings[lang].callFailed(response.status, ms, retryAfter, problem), {
        inspect,
        data: { event: 'rest-failed', status: String(response.status) },
      });
    } catch (error) {
      log.add({ kind: 'error', text: say((t) => t.networkFailed(messageOf(error))) });
    }
  };

  /** Publishes `count` orders at QoS 1; the log shows how soon each PUBACK came. */
  const publish = (count: number, retained: boolean, topicOf: (order: number) => string = (order) => `orders/${order % 3}`) => {
    const broker = labBroker();
    if (!broker?.connected) {
      log.add({ kind: 'error', text: say((t) => t.notConnected) });
      return;
    }
    for (let i = 0; i < count; i++) {
      const order = ++lastOrder;
      const topic = topicOf(order);
      log.add({ kind: 'sent', badge: 'MQTT', text: say((t) => t.publishing(order, topic, retained)) });
      const started = performance.now();
      broker.publish(topic, JSON.stringify({ order, page: pageMark }), { qos: 1, retain: retained }, (error) => {
        const ms = Math.round(performance.now() - started);
        if (error) log.add({ kind: 'error', text: say((t) => t.publishFailed(error.message)) });
        else log.add({ kind: 'received', badge: 'PUBACK', text: say((t) => t.acked(ms)), data: { event: 'puback' } });
      });
    }
  };

  /** PUT or DELETE of a consumer; the log shows the answer; its state is shown unless the event stream brought a newer one first. */
  const changeConsumer = async (name: string, method: 'PUT' | 'DELETE', body?: Record<string, unknown>) => {
    await sessionReady();
    const path = `${LAB_PATH}/consumers/${encodeURIComponent(name)}`;
    const inspect = watch(method, path);
    const shown = body ? JSON.stringify(body) : '';
    log.add({ kind: 'sent', badge: 'REST', text: say((t) => t.consumerRequest(method, name, shown)), inspect, inspectLabel: say((t) => t.bytes) });
    try {
      const response = await fetch(path, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
        credentials: 'same-origin',
      });
      if (response.ok) {
        if (response.status !== 204) answered((await response.json()) as LabView);
        log.add({
          kind: 'received',
          badge: String(response.status),
          text: say((t) => t.consumerChanged(response.status)),
          inspect,
          data: { event: 'consumer-changed', status: String(response.status) },
        });
        return;
      }
      const problem: unknown = await response.json().catch(() => null);
      logRefusal(log, response, problem, (lang, text) => pipelineStrings[lang].consumerFailed(response.status, text), { inspect });
    } catch (error) {
      log.add({ kind: 'error', text: say((t) => t.networkFailed(messageOf(error))) });
    }
  };

  return { ...connection, callWorker, publish, changeConsumer };
}
