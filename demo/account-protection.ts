/**
 * The demo shop's sign-in and account-opening backend: what a customer writes to use Kount 360
 * Account Protection through the relay. The password is checked by the shop (a wrong one is reported
 * to Kount as a Failed Attempt); a right one asks Login v2 for a decision. New accounts ask New Account
 * Opening v2. A CHALLENGE with MFA is handed to the relay, and the page finishes it with
 * `<verification-flow>`; the decision that counts is read back from the relay, never from the page.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { describeIssues } from '../src/contract/issues.js';
import type { ChallengeAdmission, Relay } from '../src/relay/index.js';
import { DeviceSessionId, deviceSessionIdOf } from './device-data.js';
import { admitted } from './guards.js';
import { orderCookie } from './orders.js';
import { errorResponse, invalidBody } from './responses.js';

/** Every demo account's password: the page says so, and anything else is a wrong password. */
export const DEMO_PASSWORD = 'northwind';

/** The MFA / verification templates a real tenant sets up in the Kount portal; the sandbox takes any name. */
const LOGIN_MFA_TEMPLATE = 'NorthwindLoginMfa';
const SIGN_UP_VERIFICATION_TEMPLATE = 'NorthwindSignUpVerification';

const Email = z.string().check(z.trim(), z.toLowerCase(), z.email(), z.maxLength(254));
const Phone = z.optional(z.string().check(z.trim(), z.regex(/^(\+?[0-9 ()-]{7,20})?$/)));
const Password = z.string().check(z.minLength(1), z.maxLength(128));

const LoginForm = z.object({ email: Email, password: Password, phone: Phone, deviceSessionId: DeviceSessionId });
const OpenAccountForm = z.object({
  deviceSessionId: DeviceSessionId,
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  email: Email,
  phone: Phone,
  password: Password,
});

/** What the page is told: a decision, or that it must show `<verification-flow>`. */
type Outcome = 'ALLOW' | 'BLOCK' | 'REVIEW' | 'CHALLENGE';

/**
 * Adds `POST /api/login` and `POST /api/open-account` to the demo app (the app's `/confirm` route
 * serves every journey). Call it before the static file route.
 */
export function registerAccountProtectionRoutes(
  app: Hono,
  relay: Relay,
  clientIpOf: (c: Context) => string | undefined,
  normalizedPhone: (phone: string | undefined) => string | undefined,
): void {
  app.post('/api/login', async (c) => {
    const parsed = LoginForm.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return invalidBody(c, describeIssues(parsed.error));
    const { email, password } = parsed.data;
    const phone = normalizedPhone(parsed.data.phone);
    // The id the page started Kount's device data collector with: the failed attempt and the decision both name it.
    const deviceSessionId = deviceSessionIdOf(parsed.data.deviceSessionId);
    const accountId = accountIdOf(email);
    try {
      if (password !== DEMO_PASSWORD) {
        // The shop checked the password itself; Kount counts the failure against the account.
        await relay.reportFailedAttempt({
          inquiryId: newKountId(),
          channel: 'WEB',
          deviceSessionId,
          loginUrl: new URL('/login.html', c.req.url).href,
          account: { id: accountId, username: email },
        });
        return c.json({ error: { code: 'wrong_password', message: 'That e-mail and password do not match.' } }, 401);
      }
      const contact = { email, ...(phone ? { phoneNumber: phone } : {}) };
      // Login v2 may start an MFA that sends a code: the relay's limits are asked first.
      return await admitted(relay, { clientIp: clientIpOf(c), contact }, async (admission) => {
        const decision = await relay.accountProtection.login({
          inquiryId: newKountId(),
          channel: 'WEB',
          // A real site passes the id it gave Kount's Device Data Collector on this page.
          deviceSessionId,
          loginUrl: new URL('/login.html', c.req.url).href,
          account: { id: accountId, username: email },
          person: { emailAddress: email, ...(phone ? { phoneNumber: phone } : {}) },
          strategy: { mfaTemplateName: LOGIN_MFA_TEMPLATE },
        });
        return respond(c, relay, 'login', decision, contact, admission);
      });
    } catch (error) {
      return errorResponse(c, error);
    }
  });

  app.post('/api/open-account', async (c) => {
    const parsed = OpenAccountForm.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return invalidBody(c, describeIssues(parsed.error));
    const { name, email } = parsed.data;
    const phone = normalizedPhone(parsed.data.phone);
    const deviceSessionId = deviceSessionIdOf(parsed.data.deviceSessionId);
    const [first, ...rest] = name.split(/\s+/);
    try {
      const contact = { email, ...(phone ? { phoneNumber: phone } : {}) };
      return await admitted(relay, { clientIp: clientIpOf(c), contact }, async (admission) => {
        const decision = await relay.accountProtection.newAccountOpening({
          inquiryId: newKountId(),
          channel: 'WEB',
          deviceSessionId,
          naoUrl: new URL('/open-account.html', c.req.url).href,
          account: { id: accountIdOf(email), username: email, creationDate: new Date().toISOString() },
          person: {
            name: { first: first ?? name, ...(rest.length > 0 ? { last: rest.join(' ') } : {}) },
            emailAddress: email,
            ...(phone ? { phoneNumber: phone } : {}),
          },
          strategy: { verificationTemplateName: SIGN_UP_VERIFICATION_TEMPLATE },
        });
        return respond(c, relay, 'open-account', decision, contact, admission);
      });
    } catch (error) {
      return errorResponse(c, error);
    }
  });
}

type Decision = Awaited<ReturnType<Relay['accountProtection']['login']>> | Awaited<ReturnType<Relay['accountProtection']['newAccountOpening']>>;

async function respond(
  c: Context,
  relay: Relay,
  journey: 'login' | 'open-account',
  decision: Decision,
  contact: { email: string; phoneNumber?: string },
  admission: ChallengeAdmission,
): Promise<Response> {
  const outcome: Outcome = decision.decision ?? 'REVIEW';
  if (outcome !== 'CHALLENGE') return c.json({ outcome });
  if (decision.challenge?.kind?.method === undefined) {
    // Kount asked for a challenge but started no MFA the page can finish: a real shop would run its own
    // (and report it with relay.reportChallengeOutcome); the demo holds the sign-in for review.
    return c.json({ outcome: 'REVIEW' satisfies Outcome });
  }
  const started = await relay.startMfaChallenge({ decision, contact, admission });
  c.header('set-cookie', started.setCookie);
  c.header('set-cookie', orderCookie(journey, decision.inquiryId), { append: true });
  // The first view goes to the page with the answer: the flow shows the step without asking the relay.
  return c.json({ outcome, view: started.view });
}

/** Kount ids for this demo: Login v2 refuses hyphens in `inquiryId`, and `deviceSessionId` takes at most 32 characters. */
function newKountId(): string {
  return randomUUID().replaceAll('-', '');
}

/** The shop's own account id; a hash, so the e-mail address does not travel as an id. */
function accountIdOf(email: string): string {
  return createHash('sha256').update(`northwind-account:${email}`).digest('hex').slice(0, 32);
}
