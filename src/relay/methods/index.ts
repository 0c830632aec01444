/** Which module handles a session's open action: one per method, with Account Protection's MFA over the passcode and link ones. */
import { knownMethod, type StrategyAction } from '../../contract/kount/index.js';
import type { Session } from '../sessions.js';
import type { ChallengeMethod, MethodName } from './challenge-method.js';
import { docvMethod } from './docv.js';
import { kbaMethod } from './kba.js';
import type { AccountProtectionMfa } from './mfa.js';
import { othMethod } from './oth.js';
import { otpMethod } from './otp.js';
import type { StepUp } from './step-up.js';

export type { ChallengeMethod, MethodName, Operation, Settlement } from './challenge-method.js';

export class Methods {
  readonly #byName: Readonly<Record<MethodName, ChallengeMethod>>;
  readonly #mfa: AccountProtectionMfa | undefined;

  constructor(stepUp: StepUp, mfa: AccountProtectionMfa | undefined) {
    this.#byName = { OTP: otpMethod(stepUp), KBA: kbaMethod(stepUp), OTH: othMethod(stepUp), DOCV: docvMethod(stepUp) };
    this.#mfa = mfa;
  }

  /** The method of `action` in `session`; undefined for one this version does not know. */
  for(session: Session, action: StrategyAction): ChallengeMethod | undefined {
    const name = knownMethod(action.method);
    if (name === undefined) return undefined;
    const base = this.#byName[name];
    return session.mfa !== undefined && this.#mfa !== undefined ? this.#mfa.method(base, session.mfa) : base;
  }
}
