/** What the method tests share: a session with one open action, the relay's limits, and a Kount that answers from a script. */
import type { StrategyAction, VerificationResponse, VerifyRequest } from '../../../src/contract/kount/index.js';
import { Limits, type LimitSettings } from '../../../src/relay/limits.js';
import { silentLogger } from '../../../src/relay/logger.js';
import type { MethodDependencies } from '../../../src/relay/methods/challenge-method.js';
import { StepUp, type StepUpCalls } from '../../../src/relay/methods/step-up.js';
import type { Session } from '../../../src/relay/sessions.js';

export const NOW = Date.UTC(2030, 0, 1);

export const LIMIT_SETTINGS: LimitSettings = {
  maxResends: 3,
  resendIntervalSeconds: 30,
  maxFailedOtpAttempts: 5,
  otpLockoutSeconds: 300,
  timeoutMs: 1000,
  sessionSecret: ['a-session-secret-long-enough-for-the-tests-0123'],
};

/** Identity Proofing's verify call answering from a list, keeping what it was asked; a refresh is never a method's. */
export class ScriptedKount implements StepUpCalls {
  readonly requests: VerifyRequest[] = [];
  readonly #answers: VerificationResponse[];

  constructor(...answers: VerificationResponse[]) {
    this.#answers = answers;
  }

  verify(request: VerifyRequest): Promise<VerificationResponse> {
    this.requests.push(request);
    const answer = this.#answers.shift();
    return answer === undefined ? Promise.reject(new Error('Kount was asked once more than the test expected.')) : Promise.resolve(answer);
  }

  refresh(): Promise<VerificationResponse> {
    return Promise.reject(new Error('A method never asks for a refresh.'));
  }
}

export function methodDependencies(kount: StepUpCalls = new ScriptedKount()): MethodDependencies {
  return { stepUp: new StepUp(kount, silentLogger), limits: new Limits(LIMIT_SETTINGS) };
}

export function session(action: StrategyAction, overrides: Partial<Session> = {}): Session {
  return {
    id: 'AAAAAAAAAAAAAAAAAAAAAA',
    inquiryId: 'inquiry',
    authenticationId: 'auth',
    actions: [action],
    contact: { phoneNumber: '+14155554567', email: 'olivia@example.com' },
    failedOtpAttempts: 0,
    resendCount: 0,
    lastSendAt: NOW,
    lockedUntil: null,
    decision: null,
    revision: 3,
    createdAt: NOW,
    expiresAt: NOW + 900_000,
    crossOrigin: false,
    ...overrides,
  };
}

/** Kount's answer about `action` after a verify call; a CHALLENGE until `decision` says otherwise. */
export function kountAnswer(action: StrategyAction, decision = 'CHALLENGE'): VerificationResponse {
  return { inquiryId: 'inquiry', authenticationId: 'auth', decision, strategy: { actions: [action] } };
}
