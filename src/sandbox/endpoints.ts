/** The Kount operations the sandbox serves; stats and faults are kept per operation. */
export type Endpoint = 'token' | 'assess' | 'verify';

export interface SandboxStats {
  /** Requests that reached each endpoint, faulted and refused ones included. */
  readonly token: number;
  readonly assess: number;
  readonly verify: number;
  readonly tokensIssued: number;
}

export class RequestCounter {
  #counts: Record<Endpoint, number> = { token: 0, assess: 0, verify: 0 };

  count(endpoint: Endpoint): void {
    this.#counts[endpoint] += 1;
  }

  snapshot(): Readonly<Record<Endpoint, number>> {
    return { ...this.#counts };
  }

  clear(): void {
    this.#counts = { token: 0, assess: 0, verify: 0 };
  }
}
