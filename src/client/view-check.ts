/**
 * How the browser reads what the relay sends: a session view (an answer, a stream event, the view
 * a shop's server put in the page) and an error body. Anything that does not pass is `undefined`,
 * which the callers turn into `invalid_response`.
 *
 * Two depths, as Lit keeps its own checks out of production builds:
 * - development (the default, and `UNIT_BUILD=development`): the contract's zod schemas
 *   (`contract/browser.ts`), every field of every method;
 * - production (the CDN build, and any build that defines `globalThis.__K360_VERIFY_DEV__` as
 *   `false`): the shape the elements branch on (state, decision, step, method, revision, the
 *   error's code and message). The relay built these views from counters it validated itself,
 *   and every value is rendered as text; a field of the wrong type shows wrongly, it cannot run.
 *   This keeps zod/mini and the schemas (5.8 KB gzip) out of the entry every checkout page pays.
 */
import type { ErrorBody, SessionView } from '../contract/browser.js';
import { ErrorBody as ErrorBodySchema, SessionView as SessionViewSchema } from '../contract/browser.js';

declare global {
  /** Set to `false` by a production build (vite.config.ts `define`): the relay's answers get the light check. */
  var __K360_VERIFY_DEV__: boolean | undefined;
}

const DEV_CHECKS = globalThis.__K360_VERIFY_DEV__ !== false;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number';
const methods = ['OTP', 'KBA', 'OTH', 'DOCV', 'UNSUPPORTED'];
const decisions = ['ALLOW', 'BLOCK', 'REVIEW'];

/** The production check of a view: the fields the page branches on. */
function isViewShape(view: unknown): boolean {
  if (!isObject(view) || !isNumber(view.revision)) return false;
  if (view.state === 'decided') return decisions.includes(view.decision as string);
  const { step, action } = view;
  return (
    view.state === 'challenge' &&
    isObject(step) &&
    isNumber(step.index) &&
    isNumber(step.total) &&
    isObject(action) &&
    methods.includes(action.method as string) &&
    (action.method !== 'KBA' || Array.isArray(action.questions))
  );
}

/** `payload` as a session view, or `undefined` when it is not one. */
export function readView(payload: unknown): SessionView | undefined {
  if (DEV_CHECKS) {
    const result = SessionViewSchema.safeParse(payload);
    return result.success ? result.data : undefined;
  }
  return isViewShape(payload) ? (payload as SessionView) : undefined;
}

/** `payload` as the relay's error body, or `undefined` (a proxy or gateway answered, not the relay). */
export function readErrorBody(payload: unknown): ErrorBody | undefined {
  if (DEV_CHECKS) {
    const result = ErrorBodySchema.safeParse(payload);
    return result.success ? result.data : undefined;
  }
  const error = isObject(payload) ? payload.error : undefined;
  return isObject(error) && typeof error.code === 'string' && typeof error.message === 'string' ? (payload as ErrorBody) : undefined;
}
