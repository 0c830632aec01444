/**
 * Localization for every element: a typed catalogue per language and a controller that picks the
 * language for its host and re-renders it when the language changes.
 *
 * Which language: the host's `lang` attribute, else the closest ancestor with `lang` (crossing
 * shadow roots, so an element inside `<verification-flow lang="es">` follows it), else
 * `<html lang>`, else English. `es-MX` uses `es-MX` strings registered by the page, then `es`.
 *
 * Which strings, later ones winning: English, the built-in catalogue of the language, strings the
 * page registered with `registerMessages` (base language, then the exact tag), the host's
 * `messages` property.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ar } from './locales/ar.js';
import { en, type Messages } from './locales/en.js';
import { es } from './locales/es.js';

export type { ClientErrorCode, KnownErrorCode, Messages } from './locales/en.js';

/**
 * What a page or an element may override: any subset of keys; for keys whose value is a record
 * (`flowDecisionTitle`...), any subset of that record.
 */
export type MessageOverrides = {
  [K in keyof Messages]?: Messages[K] extends (...args: never[]) => unknown
    ? Messages[K]
    : Messages[K] extends object
      ? Partial<Messages[K]>
      : Messages[K];
};

export type Direction = 'ltr' | 'rtl';

/** Languages written right to left (ISO 639-1 and the common 639-2/3 codes). */
const rtlLanguages = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'ha', 'he', 'iw', 'khw', 'ks', 'ku', 'ps', 'sd', 'ur', 'yi']);

const builtIn = new Map<string, Messages>([
  ['en', en],
  ['es', es],
  ['ar', ar],
]);
const registered = new Map<string, MessageOverrides>();
/** Grows with every `registerMessages`, so controllers know their cached catalogue is stale. */
let registryVersion = 0;

/** Controllers whose host is connected; told when the document's languages or the strings change. */
const connected = new Set<LocalizeController>();
let documentObserver: MutationObserver | undefined;

function normalizeTag(tag: string): string {
  return tag.trim().replace(/_/g, '-').toLowerCase();
}

function baseLanguage(tag: string): string {
  return tag.split('-')[0] ?? tag;
}

/** The catalogue language used for a requested tag: the tag, its base language, else `en`. */
export function resolveLanguage(requested: string | null | undefined): string {
  const tag = normalizeTag(requested ?? '');
  if (!tag) return 'en';
  if (builtIn.has(tag) || registered.has(tag)) return tag;
  const base = baseLanguage(tag);
  if (builtIn.has(base) || registered.has(base)) return base;
  return 'en';
}

export function directionOf(language: string): Direction {
  return rtlLanguages.has(baseLanguage(normalizeTag(language))) ? 'rtl' : 'ltr';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Shallow merge, one level deeper for record values (so `{ flowDecisionTitle: { ALLOW } }` keeps BLOCK). */
function merge(target: Messages, overrides: MessageOverrides | undefined): Messages {
  if (!overrides) return target;
  const result: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = result[key];
    result[key] = isRecord(value) && isRecord(current) ? { ...current, ...value } : value;
  }
  return result as unknown as Messages;
}

/** The full catalogue for a language (as returned by `resolveLanguage`), before per-element overrides. */
export function messagesFor(language: string, hostOverrides?: MessageOverrides): Messages {
  const tag = normalizeTag(language);
  const base = baseLanguage(tag);
  let messages = en;
  messages = merge(messages, builtIn.get(base));
  if (tag !== base) messages = merge(messages, builtIn.get(tag));
  messages = merge(messages, registered.get(base));
  if (tag !== base) messages = merge(messages, registered.get(tag));
  return merge(messages, hostOverrides);
}

/**
 * Overrides or adds strings for a language, for every element on the page (merged with what was
 * registered before). Registering a new language (`fr`) makes it selectable; keys it leaves out
 * fall back to English.
 */
export function registerMessages(language: string, overrides: MessageOverrides): void {
  const tag = normalizeTag(language);
  registered.set(tag, { ...registered.get(tag), ...overrides });
  registryVersion++;
  for (const controller of connected) controller.refresh(true);
}

/** Forgets everything `registerMessages` added (for tests). */
export function resetRegisteredMessages(): void {
  registered.clear();
  registryVersion++;
  for (const controller of connected) controller.refresh(true);
}

function observeDocument(): void {
  if (documentObserver || typeof MutationObserver === 'undefined') return;
  documentObserver = new MutationObserver(() => {
    for (const controller of connected) controller.refresh();
  });
  // `lang` can change on any light-DOM ancestor, `dir` too (a page switching its layout).
  documentObserver.observe(document.documentElement, {
    attributes: true,
    subtree: true,
    attributeFilter: ['lang', 'dir'],
  });
}

/** The closest `lang` from the element itself upward, crossing shadow roots to their hosts. */
function closestLang(element: Element): string | null {
  let node: Element | null = element;
  while (node) {
    const withLang: Element | null = node.closest('[lang]');
    if (withLang) return withLang.getAttribute('lang');
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return null;
}

export interface LocalizedHost extends ReactiveControllerHost, HTMLElement {
  /** Per-element string overrides (a property on the host, not an attribute). */
  messages?: MessageOverrides | undefined;
}

/**
 * Gives a host its catalogue (`msg`), language (`lang`) and direction (`dir`), and requests an
 * update when any of them changes. It also sets the host's `dir` attribute to the language's
 * direction, unless the page set one itself, so `:host(:dir(rtl))` and logical properties follow
 * the language of the text.
 */
export class LocalizeController implements ReactiveController {
  private readonly host: LocalizedHost;
  private hostObserver: MutationObserver | undefined;
  private cached: { key: string; overrides: MessageOverrides | undefined; version: number; messages: Messages } | undefined;
  private currentLang = 'en';
  /** The `dir` value this controller wrote on the host, so it never overwrites the page's own. */
  private writtenDir: string | undefined;

  constructor(host: LocalizedHost) {
    this.host = host;
    host.addController(this);
  }

  /** The catalogue language in use (`en`, `es`, `ar`, or a language the page registered). */
  get lang(): string {
    return this.currentLang;
  }

  get dir(): Direction {
    return directionOf(this.currentLang);
  }

  /** The resolved catalogue for the host. */
  get msg(): Messages {
    const overrides = this.host.messages;
    const cached = this.cached;
    if (cached && cached.key === this.currentLang && cached.overrides === overrides && cached.version === registryVersion) {
      return cached.messages;
    }
    const messages = messagesFor(this.currentLang, overrides);
    this.cached = { key: this.currentLang, overrides, version: registryVersion, messages };
    return messages;
  }

  hostConnected(): void {
    connected.add(this);
    observeDocument();
    // Catches `lang` on a host that lives in a shadow root, where the document observer cannot see.
    this.hostObserver ??= new MutationObserver(() => this.refresh());
    this.hostObserver.observe(this.host, { attributes: true, attributeFilter: ['lang'] });
    this.currentLang = this.requestedLanguage();
  }

  hostDisconnected(): void {
    connected.delete(this);
    this.hostObserver?.disconnect();
  }

  hostUpdate(): void {
    this.currentLang = this.requestedLanguage();
    this.applyDir();
  }

  /** Re-reads the language; requests an update when it (or, with `force`, the strings) changed. */
  refresh(force = false): void {
    const next = this.requestedLanguage();
    if (force || next !== this.currentLang) {
      this.currentLang = next;
      this.host.requestUpdate();
    }
  }

  private requestedLanguage(): string {
    const fromTree = closestLang(this.host);
    return resolveLanguage(fromTree || document.documentElement.lang);
  }

  private applyDir(): void {
    const current = this.host.getAttribute('dir');
    if (current !== null && current !== this.writtenDir) return;
    if (current !== this.dir) this.host.setAttribute('dir', this.dir);
    this.writtenDir = this.dir;
  }
}
