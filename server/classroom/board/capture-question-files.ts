import { readFileSync } from 'node:fs';
import { trafficOfCaptureFile } from '../../../contracts/exercise-checks/capture-file-traffic.ts';
import type { CaptureTraffic } from '../../../contracts/exercise-checks/capture-question.ts';

/**
 * The capture files the lessons ask questions about (issue 52 item 4), each read and decoded once,
 * at its first question, and kept: the same bytes for every student, so every verdict on it is
 * judged over this one decode (the files are a few KB each, a handful per course).
 */
export class CaptureQuestionFiles {
  /** path → its traffic; null: the file is missing or no packet capture (told once, through `unreadable`) */
  private readonly decoded = new Map<string, CaptureTraffic | null>();

  constructor(
    /** a lesson's file the server cannot read: its question passes no one, which the server's log says */
    private readonly unreadable: (file: string, problem: string) => void = () => {},
    private readonly read: (file: string) => Uint8Array = (file) => readFileSync(file),
  ) {}

  /** The file's traffic, decoded with every layer loaded; null when it cannot be read as a packet capture. */
  trafficOf(file: string): CaptureTraffic | null {
    const kept = this.decoded.get(file);
    if (kept !== undefined) return kept;
    const traffic = this.decode(file);
    this.decoded.set(file, traffic);
    return traffic;
  }

  private decode(file: string): CaptureTraffic | null {
    let bytes: Uint8Array;
    try {
      bytes = this.read(file);
    } catch (error) {
      this.unreadable(file, error instanceof Error ? error.message : String(error));
      return null;
    }
    const traffic = trafficOfCaptureFile(bytes);
    if (!traffic) this.unreadable(file, 'not a packet capture wire/capture-file/ can read');
    return traffic;
  }
}
