/**
 * The event the presenter flow sends the inspector dock (no shared state between the two). A file
 * of its own: the dock is on the way to the lesson's text, the presenter's keys are not.
 */
export const TOGGLE_INSPECTOR_EVENT = 'wirelab:toggle-inspector';
