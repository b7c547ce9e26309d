// Where a link to `#id` lands while the page is still filling in. A lesson's text arrives in two
// parts and its cells mount as they near the viewport, each a little taller or shorter than the
// plain-text placeholder before it; the browser's scroll anchoring then keeps some element in
// view in place — not the one the link named, often one below it. Measured (29 Nov): a teacher's
// "do this exercise now" link put the exercise's title under the header at 77 px, and 180 ms
// later, the text's second part in, at −67 px, out of view. So the element scrolled to is held
// where it was put, with scroll anchoring off meanwhile (the hold is the anchor), until the reader
// moves the page (a wheel, a touch, a key, a press, or any scroll the hold did not make), another
// scroll is asked for, or the hold's time is over.

/** How long a link's target is held: a slow phone's text and first cells come within seconds. */
const HOLD_MS = 10_000;
/** What the reader does to move the page: from then on, the page is theirs. */
const READER_INPUT = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;
/** The hold in force: one at a time, so the scroll anchoring it turned off comes back once. */
let releaseCurrent: (() => void) | null = null;

/**
 * Scrolls the element of `id` into view, then holds it there while the page's layout moves it,
 * until the reader moves the page, `stillWanted()` says no (a later scroll was asked for), or
 * HOLD_MS pass. Looked up by its id each time: the text's second part renders the first one's
 * elements anew.
 */
export function scrollIntoViewAndHold(id: string, stillWanted: () => boolean): void {
  releaseCurrent?.();
  let element = document.getElementById(id);
  const root = document.documentElement;
  const anchoring = root.style.overflowAnchor;
  root.style.overflowAnchor = 'none';
  element?.scrollIntoView();
  // where the element sits in the document, and where the view was, when it was last put in place
  const offset = () => (element ? element.getBoundingClientRect().top + window.scrollY : 0);
  let pinned = { y: window.scrollY, offset: offset() };
  let held = true;

  const release = () => {
    if (!held) return;
    held = false;
    if (releaseCurrent === release) releaseCurrent = null;
    root.style.overflowAnchor = anchoring;
    layout.disconnect();
    window.removeEventListener('scroll', onScroll);
    for (const type of READER_INPUT) window.removeEventListener(type, release, true);
    clearTimeout(timer);
  };
  const check = (scrolled: boolean) => {
    if (!held) return;
    element = document.getElementById(id);
    if (!stillWanted() || !element) return release();
    if (Math.abs(offset() - pinned.offset) >= 1) {
      // the layout moved it: text or a cell above it came, or changed its height
      element.scrollIntoView();
      pinned = { y: window.scrollY, offset: offset() };
    } else if (scrolled && window.scrollY !== pinned.y) {
      // the view moved and the element did not (anchoring is off): a scroll bar dragged, a search in the page, a script
      release();
    }
  };
  const onScroll = () => check(true);
  const layout = new ResizeObserver(() => check(false));
  layout.observe(document.body);
  window.addEventListener('scroll', onScroll, { passive: true });
  for (const type of READER_INPUT) window.addEventListener(type, release, { capture: true, passive: true });
  const timer = setTimeout(release, HOLD_MS);
  releaseCurrent = release;
}
