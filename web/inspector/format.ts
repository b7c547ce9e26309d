import type { InspectorStrings } from './strings.ts';

export function formatBytes(count: number, t: InspectorStrings): string {
  if (count < 1024) return `${count} ${t.units.bytes}`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} ${t.units.kilobytes}`;
  return `${(count / 1024 / 1024).toFixed(1)} ${t.units.megabytes}`;
}

/** A duration, signed when asked ("+12.4 ms", "−1.20 s"). */
export function formatDuration(ms: number, t: InspectorStrings, signed = false): string {
  const sign = signed ? (ms < 0 ? '−' : '+') : ms < 0 ? '−' : '';
  const size = Math.abs(ms);
  const text = size < 1000 ? `${size < 10 ? size.toFixed(2) : size.toFixed(1)} ${t.units.ms}` : `${(size / 1000).toFixed(2)} ${t.units.s}`;
  return `${sign}${text}`;
}

/** Wall-clock time with milliseconds: 10:41:03.120 */
export function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number, length = 2) => String(value).padStart(length, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

export function clientPort(remote: string): string {
  const colon = remote.lastIndexOf(':');
  return colon === -1 ? remote : remote.slice(colon + 1);
}
