/** Which module handles a session's open action: one per method, with Account Protection's MFA over the passcode and link ones. */
import type { OtpChannel } from '../../contract/browser.js';
import { knownMethod, type StrategyAction } from '../../contract/kount/index.js';
import type { Limits } from '../limits.js';
import { openAction, type Session } from '../sessions.js';
import type { StepUpdate } from '../webhook-events.js';
import type { ChallengeMethod, MethodName } from './challenge-method.js';
import { docvMethod } from './docv.js';
import { kbaMethod } from './kba.js';
import type { AccountProtectionMfa } from './mfa.js';
import { othMethod } from './oth.js';
import { otpMethod } from './otp.js';
import type { StepUp } from './step-up.js';

export type { ChallengeMethod, MethodName, Operation, Settlement } from './challenge-method.js';

type ByName = Readonly<Record<MethodName, ChallengeMethod>>;

export class Methods {
  readonly #stepUp: ByName;
  /** The same methods with Account Protection's answer and resend, for sessions that finish an MFA; built once. */
  readonly #mfa: ByName | undefined;

  constructor({ stepUp, limits, mfa }: { stepUp: StepUp; limits: Limits; mfa?: AccountProtectionMfa | undefined }) {
    const dependencies = { stepUp, limits };
    this.#stepUp = { OTP: otpMethod(dependencies), KBA: kbaMethod(dependencies), OTH: othMethod(dependencies), DOCV: docvMethod(dependencies) };
    this.#mfa = mfa === undefined ? undefined : mapMethods(this.#stepUp, (base) => mfa.method(base));
  }

  /** The method of `action` in `session`; undefined for one this version does not know. */
  for(session: Session, action: StrategyAction): ChallengeMethod | undefined {
    const name = knownMethod(action.method);
    if (name === undefined) return undefined;
    return (session.mfa !== undefined && this.#mfa !== undefined ? this.#mfa : this.#stepUp)[name];
  }

  /** Where Kount sent the open action's first code or link; null when nothing went out. */
  firstSend(session: Session): OtpChannel | null {
    const action = openAction(session);
    return action === undefined ? null : (this.for(session, action)?.firstSend(action, session) ?? null);
  }

  /** The action a webhook naming only the case is about, as the methods tell it; undefined when none claims it. */
  patchTarget(session: Session, update: Pick<StepUpdate, 'authenticationId' | 'patch'>): number | undefined {
    for (const method of Object.values(this.#stepUp)) {
      const index = method.patchTarget?.(session, update);
      if (index !== undefined) return index;
    }
    return undefined;
  }
}

function mapMethods(methods: ByName, wrap: (method: ChallengeMethod) => ChallengeMethod): ByName {
  return { OTP: wrap(methods.OTP), KBA: wrap(methods.KBA), OTH: wrap(methods.OTH), DOCV: wrap(methods.DOCV) };
}
