import { randomBytes } from 'node:crypto';
import { secretKey } from './constant-time.js';
import type { Clock } from './defaults.js';
import type { DocvLinkHandler } from './docv-step.js';
import type { OthLinkHandler } from './oth-step.js';

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
