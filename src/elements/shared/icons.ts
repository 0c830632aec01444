/**
 * The elements' icons: one SVG path each, on a 24 × 24 grid, stroked in the text's colour (`.icon`
 * in styles.ts): no icon font, no request, nothing for a page's policy to allow. Each element
 * draws them as `<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d=…></svg>`,
 * decorative beside text that says the same.
 *
 * Paths, not templates: this module is shared by the entry and the lazily loaded steps, and one
 * that imports lit's `html` makes the bundler split lit out of the entry (about 13 KB in a chunk
 * of its own, a round trip more).
 */
const circle = 'M12 2a10 10 0 1 1 0 20a10 10 0 1 1 0-20';

/** A message bubble: a text message (SMS). */
export const smsIcon = 'M4 5h16v11H9l-5 4z';
/** An envelope: an e-mail. */
export const emailIcon = 'M5 5h14a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2zm-2 2 9 6 9-6';
/** A tick in a circle: verified, allowed. */
export const successIcon = `${circle}m-5 10 3.5 3.5L17 9`;
/** A cross in a circle: failed, declined. */
export const failureIcon = `${circle}m3 7-6 6m0-6 6 6`;
/** A clock: waiting (for a link to be opened, a document, a review). */
export const waitingIcon = `${circle}m0 5v5l3 2`;

/** The channel a code or link went by. */
export const channelIcon = (channel: 'SMS' | 'EMAIL') => (channel === 'EMAIL' ? emailIcon : smsIcon);
