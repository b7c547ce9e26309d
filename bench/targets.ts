// Every benchmark states its targets beside its figures, so a run says by itself what it met.
import { loadavg } from 'node:os';

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Median and range of a sample (the range is what says whether a ratio holds from round to round). */
export function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}

/**
 * One line: the figure, its range when there is one, the target and whether it is met, and the
 * host's load average (1 minute) as the line is printed: what else ran on the machine is part of
 * any figure measured on it.
 * `atLeast` targets are floors (a ratio of throughput), `atMost` ceilings (bytes, latency).
 */
export function targetLine(
  name: string,
  figure: number | Spread,
  target: { atLeast: number; everyRound?: boolean } | { atMost: number; everyRound?: boolean },
  format: (n: number) => string = (n) => n.toFixed(3),
): string {
  const value = typeof figure === 'number' ? figure : figure.median;
  const range = typeof figure === 'number' ? '' : ` (rounds: ${format(figure.min)}–${format(figure.max)})`;
  // everyRound: the worst round must meet it, not only the median (issue 40: "in every round").
  const judged = typeof figure === 'number' || !target.everyRound ? value : 'atLeast' in target ? figure.min : figure.max;
  const [sign, bound, met] = 'atLeast' in target ? ['≥', target.atLeast, judged >= target.atLeast] : ['≤', target.atMost, judged <= target.atMost];
  const scope = target.everyRound && typeof figure !== 'number' ? ' in every round' : '';
  return `  ${name}: ${format(value)}${range}, target ${sign} ${format(bound)}${scope}: ${met ? 'met' : 'NOT MET'} [host load ${loadavg()[0].toFixed(1)}]`;
}
