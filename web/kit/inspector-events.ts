/**
 * "Skip to the inspector" (app-header.tsx) asks the page's inspector dock (web/lessons/
 * inspector-dock.tsx) to open and take the focus: an event, as the header knows no page's parts.
 */
export const OPEN_INSPECTOR_EVENT = 'wirelab:open-inspector';

/** The dock's element id: the skip link's href, for a page without scripts' sake of clarity. */
export const INSPECTOR_ID = 'inspector';
