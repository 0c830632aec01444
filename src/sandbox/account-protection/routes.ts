import { createHash, randomUUID } from 'node:crypto';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import {
  ChallengeOutcomeV2Request,
  FailedAttemptV2Request,
  LoginV2Request,
  MfaResendRequest,
  MfaVerifyRequest,
  type MfaChannelType,
  NewAccountOpeningV2Request,
  type Person,
} from '../../contract/kount/index.js';
import type { Clock } from '../defaults.js';
import { readJsonBody } from '../json-body.js';
import { jsonError } from '../json-errors.js';
import { formField, linkPageHeaders, renderLinkPage, unknownLinkPage } from '../link-pages.js';
import { DEFAULT_SMS_DESTINATION } from '../defaults.js';
import type { Outbox } from '../outbox.js';
import { refuseCrossSiteChanges } from '../same-site-guard.js';
import { LINK_PATH_PREFIX, type LinkState, MfaSession, type MfaStatusUpdatePayload } from './mfa-session.js';
import { type AccountProtectionFlow, accountProtectionPersonaFor, FAILED_ATTEMPT_POLICY } from './personas.js';
import { AccountProtectionStore } from './store.js';

/**
 * Paths: Login, NAO and the two events as `kount-api.md` section 1 pins them. Resend and the
 * passcode check are not published (section 7, item 1); these are the relay's configurable defaults.
 */
export const ACCOUNT_PROTECTION_SANDBOX_PATHS = {
  login: '/login/v2',
  newAccountOpening: '/newaccountopening/v2',
  challengeOutcome: '/events/challenge-outcome',
  failedAttempt: '/events/failed-attempt',
  resend: '/login/v2/resend',
  verifyPasscode: '/login/v2/verify',
  events: '/sandbox/account-protection/events.json',
} as const;

export interface AccountProtectionDependencies {
  /** The same bearer-token and `x-client-id` check as every other sandbox API call. */
  readonly apiGuard: MiddlewareHandler;
  readonly outbox: Outbox;
  readonly now: Clock;
  readonly publicUrl: string;
  readonly clientId: string;
  /**
   * Hands each `MFA.StatusUpdate` to the sandbox's webhook sender. Every event is also listed at
   * `GET /sandbox/account-protection/events.json`, with or without a sender.
   */
  readonly publishMfaStatus?: (event: MfaStatusUpdatePayload) => void;
}

const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Account Protection v2 as the sandbox plays it: personas by `person.emailAddress`, failed attempts
 * counted per `account.id`, MFA by passcode or one-time link through the shared outbox, and the
 * `MFA.StatusUpdate` webhook on every status change. `POST /sandbox/reset` forgets all of it.
 */
export function accountProtectionRoutes(dependencies: AccountProtectionDependencies): Hono {
  const { apiGuard, now, outbox, publicUrl, clientId } = dependencies;
  const store = new AccountProtectionStore();
  const publish = (event: MfaStatusUpdatePayload): void => {
    store.recordEvent(event);
    if (event.mfaStatus === 'VERIFIED') store.clearFailedAttempts(store.session(event.mfaId)?.accountId);
    dependencies.publishMfaStatus?.(event);
  };
  const sessionContext = { now, outbox, publicUrl, clientId, publish };
  const paths = ACCOUNT_PROTECTION_SANDBOX_PATHS;

  const decide = (flow: AccountProtectionFlow, request: DecisionInput) => {
    const persona = accountProtectionPersonaFor(flow, request.person?.emailAddress);
    const failures = store.failedAttempts(request.accountId);
    let decision = persona.decision;
    let mfaType: MfaChannelType | undefined = persona.mfa;
    const policiesTriggered: Array<{ ID: string; Name: string }> = [];
    if (failures >= FAILED_ATTEMPT_POLICY.BLOCK_AFTER) {
      decision = 'BLOCK';
      mfaType = undefined;
      policiesTriggered.push({ ID: 'sandbox-failed-attempts-block', Name: `${FAILED_ATTEMPT_POLICY.BLOCK_AFTER} or more failed attempts` });
    } else if (failures >= FAILED_ATTEMPT_POLICY.CHALLENGE_AFTER && decision === 'ALLOW') {
      decision = 'CHALLENGE';
      mfaType = request.person?.emailAddress ? 'EMAIL_OTP' : request.person?.phoneNumber ? 'SMS_OTP' : undefined;
      policiesTriggered.push({ ID: 'sandbox-failed-attempts-challenge', Name: `${FAILED_ATTEMPT_POLICY.CHALLENGE_AFTER} or more failed attempts` });
    }
    // Seed 002: MFA needs the template name besides the contact; without it the customer runs its own challenge.
    let challenge: { ID: string; type: MfaChannelType } | undefined;
    if (decision === 'CHALLENGE' && mfaType !== undefined && request.templateName !== undefined) {
      const destination = mfaType.startsWith('SMS') ? request.person?.phoneNumber?.trim() || DEFAULT_SMS_DESTINATION : (request.person?.emailAddress ?? '').trim();
      const session = new MfaSession(mfaType, destination, request.accountId ?? '', sessionContext);
      store.addSession(session);
      challenge = { ID: session.id, type: mfaType };
    }
    return {
      decision,
      deviceSessionId: request.deviceSessionId,
      deviceId: createHash('sha256').update(`device:${request.deviceSessionId}`).digest('hex').slice(0, 32),
      trustState: 'UNKNOWN',
      policyManagement: {
        set: { name: flow === 'login' ? 'Sandbox login policies' : 'Sandbox account opening policies', versionName: '1' },
        segmentExecuted: { ID: `sandbox-${flow}-${decision.toLowerCase()}`, name: persona.email || `${flow} (any other e-mail)` },
        policiesTriggered,
      },
      tags: policiesTriggered.length > 0 ? ['FAILED_ATTEMPTS'] : [],
      ...(challenge === undefined ? {} : { [flow === 'login' ? 'mfa' : 'verification']: challenge }),
    };
  };

  const routes = new Hono();
  // After the control route answered (204), so a refused cross-site reset clears nothing either.
  routes.use('/sandbox/reset', async (c, next) => {
    await next();
    if (c.req.method === 'POST' && c.res.status === 204) store.clear();
  });

  routes.post(paths.login, apiGuard, async (c) => {
    const body = await readJsonBody(c, LoginV2Request);
    if (!body.ok) return body.response;
    const request = body.value;
    const correlationId = correlationIdOf(c);
    const answer = decide('login', {
      accountId: request.account.id,
      deviceSessionId: request.deviceSessionId,
      person: request.person,
      templateName: request.strategy?.mfaTemplateName,
    });
    store.recordDecision(correlationId, { flow: 'login', accountId: request.account.id });
    return answerJson(c, answer, correlationId);
  });

  routes.post(paths.newAccountOpening, apiGuard, async (c) => {
    const body = await readJsonBody(c, NewAccountOpeningV2Request);
    if (!body.ok) return body.response;
    const request = body.value;
    const correlationId = correlationIdOf(c);
    const answer = decide('signup', {
      accountId: request.account?.id,
      deviceSessionId: request.deviceSessionId,
      person: request.person,
      templateName: request.strategy?.verificationTemplateName,
    });
    store.recordDecision(correlationId, { flow: 'signup', accountId: request.account?.id });
    return answerJson(c, answer, correlationId);
  });

  routes.post(paths.challengeOutcome, apiGuard, async (c) => {
    const body = await readJsonBody(c, ChallengeOutcomeV2Request);
    if (!body.ok) return body.response;
    const decision = store.decision(body.value.decisionCorrelationId);
    if (decision === undefined) {
      return jsonError(c, 404, { error: 'not_found', message: 'no decision has this decisionCorrelationId', field: 'decisionCorrelationId' });
    }
    if (body.value.challengeStatus === 'Success') store.clearFailedAttempts(decision.accountId);
    return answerJson(c, {}, correlationIdOf(c));
  });

  routes.post(paths.failedAttempt, apiGuard, async (c) => {
    const body = await readJsonBody(c, FailedAttemptV2Request);
    if (!body.ok) return body.response;
    store.countFailedAttempt(body.value.account.id);
    return answerJson(c, {}, correlationIdOf(c));
  });

  routes.post(paths.resend, apiGuard, async (c) => {
    const body = await readJsonBody(c, MfaResendRequest);
    if (!body.ok) return body.response;
    const session = store.session(body.value.sessionId);
    if (session === undefined) return unknownSession(c);
    const answer = session.resend();
    store.trackLink(session);
    return answerJson(c, answer, correlationIdOf(c));
  });

  // Assumed call (see MfaVerifyRequest): Kount publishes no way to check a passcode typed into the customer's page.
  routes.post(paths.verifyPasscode, apiGuard, async (c) => {
    const body = await readJsonBody(c, MfaVerifyRequest);
    if (!body.ok) return body.response;
    const session = store.session(body.value.sessionId);
    if (session === undefined) return unknownSession(c);
    if (session.isLink) {
      return jsonError(c, 400, { error: 'invalid_request', message: 'this MFA is a one-time link: it is completed by opening the link', field: 'sessionId' });
    }
    return answerJson(c, session.checkPasscode(body.value.otp), correlationIdOf(c));
  });

  routes.get(paths.events, (c) => c.json({ events: store.events(c.req.query('mfaId') || undefined) }, 200, { 'Cache-Control': 'no-store' }));

  const linkRoute = `${LINK_PATH_PREFIX}:token`;
  routes.use(`${LINK_PATH_PREFIX}*`, linkPageHeaders, refuseCrossSiteChanges);
  routes.get(linkRoute, (c) => {
    const token = c.req.param('token');
    const session = store.sessionForLink(token);
    return session === undefined ? unknownLinkPage(c) : renderLink(c, session, token);
  });
  routes.post(linkRoute, async (c) => {
    const token = c.req.param('token');
    const session = store.sessionForLink(token);
    if (session === undefined) return unknownLinkPage(c);
    const choice = await formField(c, 'choice');
    if (choice === 'confirm') session.confirmLink(token);
    else if (choice === 'refuse') session.refuseLink(token);
    else return renderLinkPage(c, 400, 'Choose an answer', html`<p>Use one of the buttons on <a href="${LINK_PATH_PREFIX}${token}">the link’s page</a>.</p>`);
    return c.redirect(`${LINK_PATH_PREFIX}${token}`, 303);
  });
  return routes;
}

interface DecisionInput {
  readonly accountId: string | undefined;
  readonly deviceSessionId: string;
  readonly person: Person | undefined;
  readonly templateName: string | undefined;
}

/** The request's id is echoed, as Kount's examples show; without one, the sandbox makes one. */
function correlationIdOf(c: Context): string {
  return c.req.header(CORRELATION_HEADER)?.trim() || randomUUID();
}

function answerJson(c: Context, body: object, correlationId: string): Response {
  return c.json(body, 200, { 'Cache-Control': 'no-store', [CORRELATION_HEADER]: correlationId });
}

function unknownSession(c: Context): Response {
  return jsonError(c, 404, { error: 'not_found', message: 'no MFA or verification has this sessionId', field: 'sessionId' });
}

const LINK_TITLES: Readonly<Record<LinkState, string>> = {
  live: 'Is this you?',
  verified: 'Thanks, you are verified',
  refused: 'Thanks for telling us',
  expired: 'This link has expired',
  replaced: 'This link was replaced',
  closed: 'This verification has ended',
};

const LINK_TEXTS: Readonly<Record<Exclude<LinkState, 'live'>, string>> = {
  verified: 'You confirmed it was you. The page that asked for this link continues by itself: you can close this one.',
  refused: 'You said it was not you, so the sign-in or sign-up that asked for this link has been stopped.',
  expired: 'Links work for 10 minutes. Ask the page that sent it for a new one.',
  replaced: 'A newer link was sent, so this one no longer works. Use the most recent message.',
  closed: 'The verification this link belongs to has ended. It no longer works.',
};

function renderLink(c: Context, session: MfaSession, token: string) {
  const state = session.linkState(token);
  if (state !== 'live') return renderLinkPage(c, 200, LINK_TITLES[state], html`<p>${LINK_TEXTS[state]}</p>`);
  const via = session.type.startsWith('SMS') ? 'a text message' : 'an e-mail';
  return renderLinkPage(
    c,
    200,
    LINK_TITLES.live,
    html`<p>Someone is signing in or opening an account with your details and asked us to send this link by ${via}. Was it you?</p>
      <form method="post" action="${LINK_PATH_PREFIX}${token}" class="choices">
        <button type="submit" name="choice" value="confirm">Yes, it’s me</button>
        <button type="submit" name="choice" value="refuse" class="secondary">This wasn’t me</button>
      </form>
      <p class="muted">Opening this page changes nothing; only a button does.</p>`,
  );
}
