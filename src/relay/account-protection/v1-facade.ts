/**
 * For customers still on Account Protection v1: takes v1-shaped requests, speaks v2 to Kount through
 * `AccountProtectionClient`, and answers in the v1 shape. Every answer says which v1 fields v2 no
 * longer takes (`deprecated`), so a migration can be finished field by field.
 *
 * v1 has no `inquiryId`; v2 requires one per journey. The facade makes one per Login or NAO and
 * reuses it for the Challenge Outcome and Failed Attempt of the same journey, found by the decision's
 * correlation id or by the device session id.
 */
import { randomUUID } from 'node:crypto';
import {
  ChallengeOutcomeV1Request,
  EventsV1Request,
  FailedAttemptV1Request,
  LoginV1Request,
  type LoginV1Response,
  NewAccountOpeningV1Request,
  type NewAccountOpeningV1Response,
} from '../../contract/kount/index.js';
import { RelayError } from '../errors.js';
import { parseOrThrow } from '../validate.js';
import type { AccountProtectionClient } from './client.js';
import {
  challengeOutcomeV1ToV2,
  failedAttemptV1ToV2,
  loginV1ToV2,
  loginV2ResponseToV1,
  type MappingResult,
  newAccountOpeningV1ToV2,
  newAccountOpeningV2ResponseToV1,
} from './mapping.js';

export interface V1Answer<Body> {
  readonly body: Body;
  /** The decision's correlation id, for a later v1 Challenge Outcome's `loginDecisionCorrelationId`. */
  readonly decisionCorrelationId?: string;
  /** v1 request fields v2 no longer takes (not sent to Kount). */
  readonly deprecated: string[];
  readonly notes: string[];
}

export interface AccountProtectionV1Options {
  /** Sent as v2 `channel` (new in v2: the site or app the inquiry comes from). */
  channel?: string;
  /** A v2 `inquiryId`; Login v2 rejects hyphens, so the default is a UUID without them. */
  newInquiryId?: () => string;
  /** How many journeys to remember for reusing their `inquiryId`. */
  rememberedJourneys?: number;
}

const DEFAULT_REMEMBERED_JOURNEYS = 10_000;

export class AccountProtectionV1 {
  readonly #client: AccountProtectionClient;
  readonly #channel: string | undefined;
  readonly #newInquiryId: () => string;
  readonly #limit: number;
  /** Insertion-ordered, so the oldest journey is the first to go. */
  readonly #inquiryIds = new Map<string, string>();

  constructor(client: AccountProtectionClient, options: AccountProtectionV1Options = {}) {
    this.#client = client;
    this.#channel = options.channel;
    this.#newInquiryId = options.newInquiryId ?? (() => randomUUID().replaceAll('-', ''));
    this.#limit = options.rememberedJourneys ?? DEFAULT_REMEMBERED_JOURNEYS;
  }

  async login(input: unknown): Promise<V1Answer<LoginV1Response>> {
    const request = parseOrThrow(LoginV1Request, input, 'login request');
    // Optional in v1, required in v2: no value is invented for it.
    if (request.username === undefined) {
      throw new RelayError('invalid_body', 'login request is invalid: username is required by Login v2.', { field: 'login request.username' });
    }
    const inquiryId = this.#inquiryFor([`session:${request.sessionId}`]);
    const mapped = loginV1ToV2(request, { inquiryId, ...this.#channelAddition() });
    const answer = await this.#client.login(mapped.value);
    this.#remember(inquiryId, [`decision:${answer.decisionCorrelationId}`, `session:${request.sessionId}`]);
    return merge(mapped, loginV2ResponseToV1(answer.response), answer.decisionCorrelationId);
  }

  async newAccountOpening(input: unknown): Promise<V1Answer<NewAccountOpeningV1Response>> {
    const request = parseOrThrow(NewAccountOpeningV1Request, input, 'new account opening request');
    const inquiryId = this.#inquiryFor([`session:${request.deviceSessionId}`]);
    const mapped = newAccountOpeningV1ToV2(request, { inquiryId, ...this.#channelAddition() });
    const answer = await this.#client.newAccountOpening(mapped.value);
    this.#remember(inquiryId, [`decision:${answer.decisionCorrelationId}`, `session:${request.deviceSessionId}`]);
    return merge(mapped, newAccountOpeningV2ResponseToV1(answer.response), answer.decisionCorrelationId);
  }

  async challengeOutcome(input: unknown): Promise<V1Answer<Record<string, never>>> {
    const request = parseOrThrow(ChallengeOutcomeV1Request, input, 'challenge outcome');
    return this.#sendChallengeOutcome(request);
  }

  async failedAttempt(input: unknown): Promise<V1Answer<Record<string, never>>> {
    const request = parseOrThrow(FailedAttemptV1Request, input, 'failed attempt');
    return this.#sendFailedAttempt(request);
  }

  /** The v1 combined events call: each part becomes its own v2 call (failed attempt first, as it happened first). */
  async events(input: unknown): Promise<V1Answer<Record<string, never>>> {
    const request = parseOrThrow(EventsV1Request, input, 'events request');
    if (request.failedAttempt === undefined && request.challengeOutcome === undefined) {
      throw new RelayError('invalid_body', 'events request is invalid: it needs failedAttempt or challengeOutcome.', { field: 'events request' });
    }
    const answers: V1Answer<Record<string, never>>[] = [];
    if (request.failedAttempt) answers.push(await this.#sendFailedAttempt({ failedAttempt: request.failedAttempt }));
    if (request.challengeOutcome) answers.push(await this.#sendChallengeOutcome({ challengeOutcome: request.challengeOutcome }));
    return { body: {}, deprecated: answers.flatMap((answer) => answer.deprecated), notes: answers.flatMap((answer) => answer.notes) };
  }

  async #sendChallengeOutcome(request: ChallengeOutcomeV1Request): Promise<V1Answer<Record<string, never>>> {
    const outcome = request.challengeOutcome;
    const keys = [`decision:${outcome.loginDecisionCorrelationId}`, ...(outcome.sessionId ? [`session:${outcome.sessionId}`] : [])];
    const mapped = challengeOutcomeV1ToV2(request, { inquiryId: this.#inquiryFor(keys) });
    await this.#client.challengeOutcome(mapped.value);
    return { body: {}, deprecated: mapped.deprecated, notes: mapped.notes ?? [] };
  }

  async #sendFailedAttempt(request: FailedAttemptV1Request): Promise<V1Answer<Record<string, never>>> {
    const sessionId = request.failedAttempt.sessionId;
    const mapped = failedAttemptV1ToV2(request, { inquiryId: this.#inquiryFor(sessionId ? [`session:${sessionId}`] : []), ...this.#channelAddition() });
    await this.#client.failedAttempt(mapped.value);
    return { body: {}, deprecated: mapped.deprecated, notes: mapped.notes ?? [] };
  }

  #channelAddition(): { channel?: string } {
    return this.#channel === undefined ? {} : { channel: this.#channel };
  }

  #inquiryFor(keys: readonly string[]): string {
    for (const key of keys) {
      const known = this.#inquiryIds.get(key);
      if (known !== undefined) return known;
    }
    return this.#newInquiryId();
  }

  #remember(inquiryId: string, keys: readonly string[]): void {
    for (const key of keys) {
      this.#inquiryIds.delete(key);
      this.#inquiryIds.set(key, inquiryId);
    }
    for (const oldest of this.#inquiryIds.keys()) {
      if (this.#inquiryIds.size <= this.#limit) break;
      this.#inquiryIds.delete(oldest);
    }
  }
}

function merge<Body>(request: MappingResult<unknown>, response: MappingResult<Body>, decisionCorrelationId: string): V1Answer<Body> {
  return {
    body: response.value,
    decisionCorrelationId,
    deprecated: request.deprecated,
    notes: [...(request.notes ?? []), ...(response.notes ?? [])],
  };
}
