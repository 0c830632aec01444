/**
 * The first view, put into the page by the shop's server with the element, so the step shows at
 * once instead of after a round trip to the relay:
 *
 * ```html
 * <verification-flow relay="/verify">
 *   <script type="application/json">{"state":"challenge","revision":1,…}</script>
 * </verification-flow>
 * ```
 *
 * The view is the one the relay answered when the shop's server started the challenge
 * (`StartedChallenge.view` from `relay.startChallenge`). It is untrusted data, handled like any
 * answer from the relay: read with `JSON.parse` from the script's text (never as markup),
 * validated against the contract, and rendered as text. One that does not pass is ignored and the
 * element reads the view from the relay instead.
 *
 * Escaping, on the shop's server: the text of a `<script>` ends at the first `</script`, whatever
 * the JSON means, so write the JSON with every `<` escaped, which JSON.parse reads back unchanged:
 *
 * ```js
 * const json = JSON.stringify(view).replace(/</g, '\\u003c');
 * ```
 *
 * (`>` and `&` need nothing inside a script element; the demo escapes them too, and U+2028/2029,
 * for templates that paste the same text elsewhere.)
 */
import type { SessionView } from '../../contract/browser.js';
import { readView } from '../../client/relay-client.js';

/** The view in `host`'s own `<script type="application/json">` child, if there is a valid one. */
export function embeddedView(host: Element): SessionView | undefined {
  // On a server (Lit SSR) there are no children to read.
  const text = typeof host.querySelector === 'function' ? host.querySelector(':scope > script[type="application/json"]')?.textContent : undefined;
  if (!text) return undefined;
  try {
    return readView(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Serialises a view for a `<script type="application/json">` in HTML: no `</script>` can end it early. */
export function embeddableJson(view: SessionView): string {
  return JSON.stringify(view).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
