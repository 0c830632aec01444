/**
 * For the CDN build: a leaf element placed in the page itself (`<otp-entry relay="/verify">`
 * without a flow) is loaded when it appears, so one script tag still serves every element while
 * each page downloads only the ones it uses. Elements inside a flow's shadow root are the flow's
 * to load.
 */
import { leafTags, loadElement } from './elements/verification-flow/action-elements.js';

function loadUndefinedIn(root: ParentNode): void {
  for (const tag of leafTags) {
    if (!customElements.get(tag) && root.querySelector(tag)) {
      loadElement(tag).catch((error: unknown) => console.error(`[k360-verify] <${tag}> could not be loaded.`, error));
    }
  }
}

export function autoloadLeafElements(): void {
  // On a server (SSR, a build that imports the entry) there is no page to watch.
  if (typeof document === 'undefined' || typeof MutationObserver === 'undefined') return;
  loadUndefinedIn(document);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof Element) loadUndefinedIn(node.parentNode ?? node);
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
}
