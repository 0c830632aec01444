/** Subclasses made to register a class under a second name, mapped to the class they copy. */
const renamedCopies = new WeakMap<CustomElementConstructor, CustomElementConstructor>();

/**
 * Registers a custom element without throwing when the page loads the suite twice (CDN + npm, two
 * bundles). The same class under the same name is a no-op; a different class under the name is
 * left in place with a warning, because replacing a definition is impossible and throwing would
 * break the rest of the page.
 *
 * @returns `true` when this call defined the element or it was already defined with `ctor`.
 */
export function defineElement(
  tag: string,
  ctor: CustomElementConstructor,
  registry: CustomElementRegistry = customElements,
): boolean {
  const existing = registry.get(tag);
  if (existing === ctor || (existing && renamedCopies.get(existing) === ctor)) return true;
  if (existing) {
    console.warn(
      `[k360-verify] <${tag}> is already defined by another class; this copy was not registered. ` +
        `Load the suite once, or register it under another name with ${ctor.name || 'Element'}.define('my-${tag}').`,
    );
    return false;
  }
  try {
    registry.define(tag, ctor);
  } catch (error) {
    // A class can be registered once per registry. Renaming a class that is already registered
    // under its default name (`OtpEntry.define('shop-otp')` after `otp-entry`) needs a subclass.
    if (!(error instanceof DOMException) || error.name !== 'NotSupportedError') throw error;
    const copy = class extends (ctor as new () => HTMLElement) {};
    renamedCopies.set(copy, ctor);
    registry.define(tag, copy);
  }
  return true;
}

// Importing the element brings its events' types: `addEventListener('verify-complete', (event) => event.detail.decision)`.
export type { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from './events.js';
