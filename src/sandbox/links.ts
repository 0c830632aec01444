import { randomBytes } from 'node:crypto';
import { secretKey } from './constant-time.js';
import type { Clock } from './defaults.js';
import type { DocumentVerificationStatus } from '../contract/kount/index.js';
import type { MessageChannel } from './outbox.js';

/**
 * What opening a link does now: `live` can be confirmed or refused; `verified`/`refused` this link
 * was used; `expired` it ran out; `replaced` a newer link was sent; `closed` the session ended otherwise.
 */
export type OthLinkState = 'live' | 'verified' | 'refused' | 'expired' | 'replaced' | 'closed';

/** What the link page may do with a one-time link. */
export interface OthLinkHandler {
  readonly kind: 'OTH';
  readonly channel: MessageChannel;
  linkState(token: string): OthLinkState;
  confirm(token: string): OthLinkState;
  refuse(token: string): OthLinkState;
}

/** The buttons of the fake phone page, in order; the last three are the results the tester picks. */
export const DOCV_PAGE_STEPS = ['begin', 'capture', 'process', 'verified', 'failed', 'needs-retry'] as const;
export type DocvPageStep = (typeof DOCV_PAGE_STEPS)[number];

/** `live`: the capture flow can go on; `done`: this link's capture has a result; `replaced`: a newer link was sent. */
export type DocvLinkState = 'live' | 'done' | 'replaced';

/** What the fake phone page may do with a capture link. */
export interface DocvLinkHandler {
  readonly kind: 'DOCV';
  readonly status: DocumentVerificationStatus;
  linkState(token: string): DocvLinkState;
  /** Takes the step if the flow is at that point; anything else changes nothing. */
  advance(token: string, step: DocvPageStep): DocvLinkState;
}

export type LinkKind = 'OTH' | 'DOCV';
export type LinkHandler = OthLinkHandler | DocvLinkHandler;

/** A one-time link the sandbox handed out: by message (OTH, DocV by SMS) or in the response (DocV `SYNC`). */
export interface IssuedLink {
  readonly kind: LinkKind;
  readonly token: string;
  readonly url: string;
  readonly authenticationId: string;
  readonly issuedAt: string;
}

interface Entry {
  readonly link: IssuedLink;
  readonly handler: LinkHandler;
}

/** Enough for any demo session; the oldest links are forgotten first (they then read as unknown). */
const MAX_KEPT_LINKS = 1000;

/**
 * Link tokens are 192 random bits, so a link is a bearer secret: whoever opens it can act on it,
 * on any device, as with Kount's links. URLs are built from the configured public URL, never from
 * a request's Host header.
 */
export class LinkBook {
  readonly #publicUrl: string;
  readonly #now: Clock;
  readonly #entries = new Map<string, Entry>();

  constructor(publicUrl: string, now: Clock) {
    this.#publicUrl = publicUrl;
    this.#now = now;
  }

  issue(handler: LinkHandler, authenticationId: string): IssuedLink {
    const token = randomBytes(24).toString('base64url');
    const kind = handler.kind;
    const link: IssuedLink = {
      kind,
      token,
      url: `${this.#publicUrl}/sandbox/${kind.toLowerCase()}/${token}`,
      authenticationId,
      issuedAt: new Date(this.#now()).toISOString(),
    };
    this.#entries.set(secretKey(token), { link, handler });
    if (this.#entries.size > MAX_KEPT_LINKS) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return link;
  }

  findOth(token: string): OthLinkHandler | undefined {
    const handler = this.#entries.get(secretKey(token))?.handler;
    return handler?.kind === 'OTH' ? handler : undefined;
  }

  findDocv(token: string): DocvLinkHandler | undefined {
    const handler = this.#entries.get(secretKey(token))?.handler;
    return handler?.kind === 'DOCV' ? handler : undefined;
  }

  /** Newest first, each with what opening it would do now. */
  list(): readonly (IssuedLink & { readonly state: string })[] {
    return [...this.#entries.values()].reverse().map(({ link, handler }) => ({ ...link, state: handler.linkState(link.token) }));
  }

  clear(): void {
    this.#entries.clear();
  }
}
