// The capture files lessons ask questions about (lessons/<nn>-<slug>/captures/): each is an asset
// of the build, served with the app under a hashed name, fetched only when a student opens it —
// never inlined as a data: URL, which the page's Content-Security-Policy (connect-src 'self') would refuse.
import { lessonSlug } from './lesson-slug.ts';

const captureUrls = import.meta.glob<string>('../../lessons/*/captures/*.{pcapng,pcap}', { query: '?url&no-inline', import: 'default', eager: true });

/** The URL the built app serves a lesson's capture file at (`file` relative to the lesson's folder), if the build has it. */
export function lessonCaptureUrl(lesson: string, file: string): string | undefined {
  for (const [path, url] of Object.entries(captureUrls)) {
    const match = /^\.\.\/\.\.\/lessons\/([^/]+)\/(.+)$/.exec(path);
    if (match && lessonSlug(match[1]!) === lesson && match[2] === file) return url;
  }
  return undefined;
}
