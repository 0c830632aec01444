/**
 * The whole start of a challenge in one call, per Kount product: the relay's limits first (so a
 * number or network that had too many codes is never assessed: Kount would text it), then Kount
 * with the relay's credentials, then the verification session when Kount asks for a challenge the
 * page can finish. When no challenge starts, the admission is given back. The admin API's
 * `/assessments`, `/logins` and `/new-account-openings` are these functions over HTTP.
 */
import {
  StartAssessmentRequest,
  StartLoginRequest,
  StartNewAccountOpeningRequest,
  type StartAssessmentAnswer,
  type StartDecision,
  type StartLoginAnswer,
  type StartNewAccountOpeningAnswer,
} from '../contract/admin-api.js';
import { normalizeDecision } from '../contract/kount/index.js';
import type { AccountProtectionClient, DecisionAnswer } from './account-protection/client.js';
import type { Challenges, StartedChallenge } from './challenges.js';
import { normalizedContact } from './channels.js';
import type { KountClient } from './kount-client.js';
import type { ChallengeAdmission } from './send-limits.js';
import { parseOrThrow } from './validate.js';

export class ChallengeStarts {
  readonly #challenges: Challenges;
  readonly #kount: KountClient;
  readonly #accountProtection: AccountProtectionClient;
  readonly #defaultCountryCallingCode: string;

  constructor(challenges: Challenges, kount: KountClient, accountProtection: AccountProtectionClient, defaultCountryCallingCode: string) {
    this.#challenges = challenges;
    this.#kount = kount;
    this.#accountProtection = accountProtection;
    this.#defaultCountryCallingCode = defaultCountryCallingCode;
  }

  /**
   * SECURITY 40: the contacts are counted, kept and sent to Kount in one spelling, so the number
   * Kount texts is the one whose allowance was taken.
   */
  #respelled<Request extends { contact: StartAssessmentRequest['contact'] }>(request: Request): Request {
    return { ...request, contact: normalizedContact(request.contact, this.#defaultCountryCallingCode) };
  }

  /** Kount's applicant or person, with its phone number and e-mail address in the relay's spelling. */
  #respelledPerson<Person extends { phoneNumber?: string | undefined; email?: string | undefined; emailAddress?: string | undefined }>(person: Person | undefined): Person | undefined {
    if (person === undefined) return undefined;
    const { email, phoneNumber } = normalizedContact({ ...(person.phoneNumber === undefined ? {} : { phoneNumber: person.phoneNumber }), ...(person.email === undefined ? {} : { email: person.email }) }, this.#defaultCountryCallingCode);
    const emailAddress = person.emailAddress === undefined ? undefined : normalizedContact({ email: person.emailAddress }, this.#defaultCountryCallingCode).email;
    return { ...person, ...(phoneNumber === undefined ? {} : { phoneNumber }), ...(email === undefined ? {} : { email }), ...(emailAddress === undefined ? {} : { emailAddress }) };
  }

  async startAssessment(input: StartAssessmentRequest): Promise<StartAssessmentAnswer> {
    const request = this.#respelled(parseOrThrow(StartAssessmentRequest, input));
    const { applicant, coApplicant } = request.assessment;
    const assessmentRequest = {
      ...request.assessment,
      ...(applicant === undefined ? {} : { applicant: this.#respelledPerson(applicant) }),
      ...(coApplicant === undefined ? {} : { coApplicant: this.#respelledPerson(coApplicant) }),
    };
    return this.#admitted(request, async (admission) => {
      const assessment = await this.#kount.assess(assessmentRequest);
      const decision: StartDecision = normalizeDecision(assessment.decision) ?? 'REVIEW';
      const challenge =
        decision === 'CHALLENGE'
          ? await this.#challenges.start({ assessment, contact: request.contact, admission, ...(request.crossOrigin ? { crossOrigin: true } : {}) })
          : null;
      return { decision, inquiryId: request.assessment.inquiryId, challenge: started(challenge), kount: assessment };
    });
  }

  async startLogin(input: StartLoginRequest): Promise<StartLoginAnswer> {
    const request = this.#respelled(parseOrThrow(StartLoginRequest, input));
    const { person } = request.login;
    const login = { ...request.login, ...(person === undefined ? {} : { person: this.#respelledPerson(person) }) };
    return this.#admitted(request, async (admission) => this.#mfaAnswer(await this.#accountProtection.login(login), request, admission));
  }

  async startNewAccountOpening(input: StartNewAccountOpeningRequest): Promise<StartNewAccountOpeningAnswer> {
    const request = this.#respelled(parseOrThrow(StartNewAccountOpeningRequest, input));
    const { person } = request.newAccountOpening;
    const opening = { ...request.newAccountOpening, ...(person === undefined ? {} : { person: this.#respelledPerson(person) }) };
    return this.#admitted(request, async (admission) => this.#mfaAnswer(await this.#accountProtection.newAccountOpening(opening), request, admission));
  }

  /** A CHALLENGE whose MFA the page cannot finish (none started, or of a kind it does not know) starts nothing: the shop runs its own. */
  async #mfaAnswer<Kount>(
    decision: DecisionAnswer<Kount>,
    request: { contact: StartAssessmentRequest['contact']; crossOrigin?: boolean | undefined },
    admission: ChallengeAdmission,
  ): Promise<{ decision: StartDecision; inquiryId: string; decisionCorrelationId: string; challenge: StartedChallenge | null; kount: Kount }> {
    const finishable = decision.decision === 'CHALLENGE' && decision.challenge?.kind?.method !== undefined;
    const challenge = finishable
      ? await this.#challenges.startMfa({
          decision: decision as Parameters<Challenges['startMfa']>[0]['decision'],
          contact: request.contact,
          admission,
          ...(request.crossOrigin ? { crossOrigin: true } : {}),
        })
      : null;
    return { decision: decision.decision ?? 'REVIEW', inquiryId: decision.inquiryId, decisionCorrelationId: decision.decisionCorrelationId, challenge: started(challenge), kount: decision.response };
  }

  async #admitted<Answer>(request: { clientIp?: string | undefined; contact: StartAssessmentRequest['contact'] }, run: (admission: ChallengeAdmission) => Promise<Answer>): Promise<Answer> {
    const admission = await this.#challenges.admit({ contact: request.contact, ...(request.clientIp === undefined ? {} : { clientIp: request.clientIp }) });
    // Kount may send a code with its answer: it is asked only once the store has taken a write for this start.
    const { start, destinations } = admission.keys;
    if (start.length === 0 && Object.keys(destinations).length === 0) await this.#challenges.assertStoreWritable();
    try {
      return await run(admission);
    } finally {
      // Once a start kept it this does nothing; otherwise nothing was sent, or Kount failed before it answered.
      await admission.release();
    }
  }
}

function started(challenge: StartedChallenge | null): StartedChallenge | null {
  return challenge === null ? null : { handle: challenge.handle, setCookie: challenge.setCookie, view: challenge.view };
}
