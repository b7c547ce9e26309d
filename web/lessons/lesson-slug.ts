/** `02-rest` → `rest`: the number orders the course and stays out of the URL. */
export function lessonSlug(folder: string): string {
  return folder.replace(/^\d+-/, '');
}
