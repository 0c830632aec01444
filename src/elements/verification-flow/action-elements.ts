/**
 * The element that renders each challenge method, and how to load it. Nothing imports a leaf
 * element statically: the flow loads one the first time a strategy reaches its method, so a page
 * pays for the steps its shoppers meet (in the CDN build each is a file of its own next to the
 * entry, `k360-verify.<tag>.js`).
 */
import type { ActionView } from '../../contract/browser.js';

export type RenderedMethod = Exclude<ActionView['method'], 'UNSUPPORTED' | 'UNAVAILABLE'>;
export type RenderedAction = Extract<ActionView, { method: RenderedMethod }>;

/** `live`: the element follows the session's stream (the flow keeps one open from step to step). */
export const actionElements: Record<RenderedMethod, { readonly tag: string; readonly load: () => Promise<unknown>; readonly live?: true }> = {
  OTP: { tag: 'otp-entry', load: () => import('../otp-entry/define.js') },
  KBA: { tag: 'kba-quiz', load: () => import('../kba-quiz/define.js') },
  OTH: { tag: 'oth-waiting', load: () => import('../oth-waiting/define.js'), live: true },
  DOCV: { tag: 'docv-status', load: () => import('../docv-status/define.js'), live: true },
};

/** Whether an element renders this action (not a method this version lacks, nor a step Kount has in a status it added later). */
export const isRendered = (action: ActionView): action is RenderedAction => Object.hasOwn(actionElements, action.method);

/** The leaf elements by tag, for pages that place one themselves (see `loadElement`). */
export const leafTags: readonly string[] = Object.values(actionElements).map((element) => element.tag);

const loads = new Map<string, Promise<void>>();

/**
 * Loads and registers a leaf element (`otp-entry`, ...); resolves once it is defined. A failed load
 * (the file could not be fetched) is forgotten, so a later call tries again.
 */
export function loadElement(tag: string): Promise<void> {
  const element = Object.values(actionElements).find((candidate) => candidate.tag === tag);
  if (!element) return Promise.reject(new Error(`[k360-verify] No element is called <${tag}>.`));
  let load = loads.get(tag);
  if (!load) {
    load = element.load().then(
      () => undefined,
      (error: unknown) => {
        loads.delete(tag);
        throw error;
      },
    );
    loads.set(tag, load);
  }
  return load;
}
