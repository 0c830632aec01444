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
 *
 * English ships with the elements; every other built-in catalogue is a small file of its own,
 * loaded the first time an element needs it (as Lion does), so a page pays only for its language.
 * An element waits for its catalogue before it renders (see `LocalizeController.ready`), so it
 * never shows English first.
 */
import type { ReactiveController, ReactiveControllerHost, ReactiveElement } from 'lit';
import { en, type Messages } from './locales/en.js';

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
// Hausa (`ha`) and Kurmanji Kurdish (`ku`) are written mostly in Latin script today; Sorani (`ckb`) stays.
const rtlLanguages = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'khw', 'ks', 'ps', 'sd', 'ur', 'yi']);

/**
 * Built-in catalogues other than English, by base language. Each is a separate file in the CDN
 * build (vite.config.ts), fetched on first use; add a language by adding a line here.
 */
const lazyCatalogues: Record<string, () => Promise<Messages>> = {
  ar: () => import('./locales/ar.js').then((module) => module.ar),
  de: () => import('./locales/de.js').then((module) => module.de),
  es: () => import('./locales/es.js').then((module) => module.es),
  fr: () => import('./locales/fr.js').then((module) => module.fr),
  he: () => import('./locales/he.js').then((module) => module.he),
  it: () => import('./locales/it.js').then((module) => module.it),
  ja: () => import('./locales/ja.js').then((module) => module.ja),
  nl: () => import('./locales/nl.js').then((module) => module.nl),
  pl: () => import('./locales/pl.js').then((module) => module.pl),
  // One Portuguese and one Chinese ship: other tags of the language get these rather than English.
  pt: () => import('./locales/pt-br.js').then((module) => module.ptBR),
  zh: () => import('./locales/zh-cn.js').then((module) => module.zhCN),
};
/** Built-in catalogues other than English that are loaded. */
const builtIn = new Map<string, Messages>();
/** Catalogues being loaded. */
const loading = new Map<string, Promise<void>>();
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
  if (isKnown(tag)) return tag;
  const base = baseLanguage(tag);
  return isKnown(base) ? base : 'en';
}

function isKnown(language: string): boolean {
  return language === 'en' || builtIn.has(language) || Object.hasOwn(lazyCatalogues, language) || registered.has(language);
}

/**
 * Starts loading the built-in catalogue of `language` (a tag as `resolveLanguage` returns it) if
 * it has one that is not loaded yet. Returns a promise for the load, or undefined when there is
 * nothing to wait for. A catalogue that fails to load is reported once and the language is then
 * treated as unknown (English, left to right), so an element is never left waiting.
 */
export function loadLanguage(language: string): Promise<void> | undefined {
  const base = baseLanguage(normalizeTag(language));
  const load = Object.hasOwn(lazyCatalogues, base) ? lazyCatalogues[base] : undefined;
  if (!load || builtIn.has(base)) return undefined;
  let pending = loading.get(base);
  if (!pending) {
    pending = load()
      .then(
        (messages) => void builtIn.set(base, messages),
        (error: unknown) => {
          delete lazyCatalogues[base];
          console.warn(`[k360-verify] The "${base}" strings could not be loaded; showing English.`, error);
        },
      )
      .then(() => {
        loading.delete(base);
        stringsChanged();
      });
    loading.set(base, pending);
  }
  return pending;
}

/** Cached catalogues are stale: re-render every connected host with the new strings. */
function stringsChanged(): void {
  registryVersion++;
  for (const controller of connected) controller.refresh(true);
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

/**
 * The catalogue for a language (as returned by `resolveLanguage`). English is the shared strings
 * plus `english`, the strings of the element asking (each element ships its own, so a page pays
 * only for the elements it uses); other languages' built-in catalogues are complete. Built-in
 * strings of a language that is still loading are left out (English stands in).
 */
export function messagesFor(language: string, hostOverrides?: MessageOverrides, english?: Partial<Messages>): Messages {
  const tag = normalizeTag(language);
  const base = baseLanguage(tag);
  // Complete for the keys the asking element reads: the shared ones and its own.
  let messages = merge(en as Messages, english);
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
  stringsChanged();
}

/** Forgets everything `registerMessages` added (for tests). */
export function resetRegisteredMessages(): void {
  registered.clear();
  stringsChanged();
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
 *
 * A host decorated with `@localized()` waits for its catalogue before each update.
 */
export class LocalizeController implements ReactiveController {
  readonly #host: LocalizedHost;
  #hostObserver: MutationObserver | undefined;
  #cached: { key: string; overrides: MessageOverrides | undefined; version: number; messages: Messages } | undefined;
  #lang = 'en';
  /** The `dir` value this controller wrote on the host, so it never overwrites the page's own. */
  #writtenDir: string | undefined;

  readonly #english: Partial<Messages> | undefined;

  /** `english`: the host's own English strings (e.g. `otpEntryStrings`); the shared ones are built in. */
  constructor(host: LocalizedHost, english?: Partial<Messages>) {
    this.#host = host;
    this.#english = english;
    host.addController(this);
    controllers.set(host, this);
  }

  /** The catalogue language in use (`en`, `es`, `ar`, or a language the page registered). */
  get lang(): string {
    return this.#lang;
  }

  get dir(): Direction {
    return directionOf(this.#lang);
  }

  /** The resolved catalogue for the host. */
  get msg(): Messages {
    const overrides = this.#host.messages;
    const cached = this.#cached;
    if (cached && cached.key === this.#lang && cached.overrides === overrides && cached.version === registryVersion) {
      return cached.messages;
    }
    const messages = messagesFor(this.#lang, overrides, this.#english);
    this.#cached = { key: this.#lang, overrides, version: registryVersion, messages };
    return messages;
  }

  /**
   * The load of the catalogue the host should render in now, while it is in progress; undefined
   * when the strings are there, so a host's update can stay synchronous. Check again once it
   * settles: the language may have changed in the meantime.
   */
  get loading(): Promise<void> | undefined {
    return loadLanguage(this.#requestedLanguage());
  }

  /** Resolves once the catalogue the host should render in is loaded (at once when it is). */
  get ready(): Promise<void> {
    return this.loading?.then(() => this.ready) ?? Promise.resolve();
  }

  hostConnected(): void {
    connected.add(this);
    observeDocument();
    // Catches `lang` on a host that lives in a shadow root, where the document observer cannot see.
    this.#hostObserver ??= new MutationObserver(() => this.refresh());
    this.#hostObserver.observe(this.#host, { attributes: true, attributeFilter: ['lang'] });
    this.#lang = this.#requestedLanguage();
    // Start fetching now rather than at the first update.
    void loadLanguage(this.#lang);
  }

  hostDisconnected(): void {
    connected.delete(this);
    this.#hostObserver?.disconnect();
  }

  hostUpdate(): void {
    this.#lang = this.#requestedLanguage();
    this.#applyDir();
  }

  /** Re-reads the language; requests an update when it (or, with `force`, the strings) changed. */
  refresh(force = false): void {
    const next = this.#requestedLanguage();
    if (force || next !== this.#lang) {
      this.#lang = next;
      this.#host.requestUpdate();
    }
  }

  #requestedLanguage(): string {
    return resolveLanguage(closestLang(this.#host) || document.documentElement.lang);
  }

  #applyDir(): void {
    const current = this.#host.getAttribute('dir');
    if (current !== null && current !== this.#writtenDir) return;
    if (current !== this.dir) this.#host.setAttribute('dir', this.dir);
    this.#writtenDir = this.dir;
  }
}

/**
 * Wraps text whose direction is not the sentence's (a masked phone number, an e-mail address in an
 * Arabic sentence) in a left-to-right isolate, so it keeps its own order.
 */
export function ltrIsolate(text: string): string {
  return `\u2066${text}\u2069`;
}

/**
 * A masked phone number or e-mail address inside a sentence: isolated left to right, with
 * no-break spaces so it never wraps mid-number.
 */
export function contactText(text: string): string {
  return ltrIsolate(text.replace(/ /g, '\u00a0'));
}

const controllers = new WeakMap<object, LocalizeController>();

type ElementClass = abstract new (...args: any[]) => ReactiveElement;

/**
 * Class decorator, in the spirit of Lit's own `@localized()`: the element waits for the catalogue
 * of its language before each update (its `LocalizeController` says when one is loading), so it
 * never renders English first, and `updateComplete` means "rendered in the right language".
 */
export function localized() {
  return <Base extends ElementClass>(base: Base): Base => {
    abstract class Localized extends base {
      protected override scheduleUpdate(): void | Promise<unknown> {
        const loading = controllers.get(this)?.loading;
        return loading ? loading.then(() => this.scheduleUpdate()) : super.scheduleUpdate();
      }
    }
    Object.defineProperty(Localized, 'name', { value: base.name });
    return Localized;
  };
}
