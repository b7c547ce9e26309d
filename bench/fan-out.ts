// One message to many receivers, round after round: what every fan-out benchmark measures.
import { percentile } from './bench-process.ts';

export interface Receiver {
  /** Calls `arrived` once, when the message `text` reaches this receiver. */
  expect(text: string, arrived: () => void): void;
}

export interface FanOutFigures {
  /** every single delivery, ms, ascending */
  deliveries: number[];
  /** the last delivery of each round, ms, ascending */
  lastDeliveries: number[];
}

/**
 * `rounds` times: `send(text)` a fresh text and wait until every receiver has it. All receivers
 * live in this process, so one clock times the send and every arrival.
 */
export async function fanOutRounds(
  receivers: Receiver[],
  rounds: number,
  send: (text: string, round: number) => void,
  timeoutMs = 30_000,
): Promise<FanOutFigures> {
  const deliveries: number[] = [];
  const lastDeliveries: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const text = `round ${round} ${Math.random().toString(36).slice(2)}`;
    let sentAt = 0;
    let arrived = 0;
    let last = 0;
    const allArrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`round ${round}: ${arrived}/${receivers.length} deliveries in ${timeoutMs} ms`)), timeoutMs);
      for (const receiver of receivers) {
        receiver.expect(text, () => {
          last = performance.now() - sentAt;
          deliveries.push(last);
          arrived += 1;
          if (arrived === receivers.length) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
    });
    sentAt = performance.now();
    send(text, round);
    await allArrived;
    lastDeliveries.push(last);
  }
  deliveries.sort((a, b) => a - b);
  lastDeliveries.sort((a, b) => a - b);
  return { deliveries, lastDeliveries };
}

export function describeFanOut(figures: FanOutFigures): string {
  const ms = (value: number): string => `${value.toFixed(2)} ms`;
  const { deliveries, lastDeliveries } = figures;
  return `every delivery (${deliveries.length}): p50 ${ms(percentile(deliveries, 50))}, p99 ${ms(percentile(deliveries, 99))}; last of each round: p50 ${ms(percentile(lastDeliveries, 50))}, p99 ${ms(percentile(lastDeliveries, 99))}`;
}
