export const POLL_PATH = '/api/v1/poll';

/** How long a poll is held when it does not say (`?timeout=<s>`): short, so a lesson sees a timeout soon. */
export const DEFAULT_HOLD_S = 10;
/** The longest hold a poll may ask for: below the 60 s after which proxies (nginx) give up. `0` = answer at once. */
export const MAX_HOLD_S = 30;
/** Events in one answer; `more: true` says the next poll gets the rest at once. */
export const MAX_EVENTS_PER_ANSWER = 100;
/** Polls held at once per browser session (without one: per sandbox and IP address); more get 429. */
export const MAX_HELD_PER_SESSION = 6;
/** What a poll answered by a server shutdown is told to wait (`Retry-After`). */
export const SHUTDOWN_RETRY_AFTER_S = 5;
