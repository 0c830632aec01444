import { randomUUID } from 'node:crypto';
import type * as z from 'zod/mini';
import type { AssessmentRequest, VerificationResponse, VerifyRequest } from '../contract/kount/index.js';
import type { Clock } from './defaults.js';
import type { KbaQuizBook } from './kba-quiz-book.js';
import type { LinkBook } from './links.js';
import type { Outbox } from './outbox.js';
import type { FinalDecision, Persona } from './personas.js';
import { DocvStep } from './docv-step.js';
import { KbaStep } from './kba-step.js';
import { OthStep } from './oth-step.js';
import { OtpStep } from './otp-step.js';
import type { ApplicantDetails, StepContext, StepDefinition, VerificationStep } from './steps.js';
import type { OutgoingWebhook } from './webhook-dispatcher.js';

/** What the sandbox answers to both the assessment and the verify call (counters as strings). */
export type VerificationResponseBody = z.input<typeof VerificationResponse>;
export type CaseDecision = FinalDecision | 'Challenge';

/** Why a verify request could not be applied to an open case; the route turns it into a 400. */
export interface RejectedSubmission {
  readonly field: string;
  readonly message: string;
}

/** What the steps of every case share: the clock, where messages, links, quizzes and webhooks go. */
export interface CaseServices {
  readonly now: Clock;
  readonly outbox: Outbox;
  readonly links: LinkBook;
  readonly quizzes: KbaQuizBook;
  readonly clientId: string;
  readonly webhooks: { emit(webhook: OutgoingWebhook): unknown };
}

interface CaseOpening {
  readonly request: AssessmentRequest;
  readonly persona: Persona;
  readonly services: CaseServices;
}

/** A verify call that only asks for the current state: `nextAction: true` and no answer in any action. */
function isRefresh(request: VerifyRequest): boolean {
  return (
    request.strategy.nextAction === true &&
    request.strategy.actions.every(({ data }) => data.resend !== true && data.otp === undefined && data.questions === undefined)
  );
}

/**
 * One Identity Proofing case (Kount calls `authenticationId` the case id). Steps run one after
 * another; a finished case keeps answering its final state, whatever is posted to it.
 */
export class VerificationCase {
  readonly authenticationId = randomUUID();
  readonly inquiryId: string;
  readonly #deviceSessionId: string;
  readonly #strategyName: string;
  readonly #persona: Persona;
  readonly #stepContext: StepContext;
  readonly #startedSteps: VerificationStep[] = [];
  readonly #pendingSteps: StepDefinition[];

  constructor({ request, persona, services }: CaseOpening) {
    this.inquiryId = request.inquiryId;
    this.#deviceSessionId = request.deviceSessionId;
    // Assumption: the response names the strategy the assessment asked for.
    this.#strategyName = request.strategy;
    this.#persona = persona;
    const applicant: ApplicantDetails | undefined = request.applicant;
    const { now, outbox, links, quizzes, clientId, webhooks } = services;
    this.#stepContext = {
      authenticationId: this.authenticationId,
      applicant,
      now,
      outbox,
      links,
      quizzes,
      clientId,
      sendWebhook: (webhook) => {
        webhooks.emit(webhook);
      },
      stepFinished: () => this.#startNextStepOnceCurrentPassed(),
    };
    this.#pendingSteps = [...persona.steps];
    this.#startNextStep();
  }

  get decision(): CaseDecision {
    this.checkDeadlines();
    const current = this.#currentStep;
    if (current?.outcome === 'failed') return 'Decline';
    if (current?.outcome === 'open') return 'Challenge';
    return this.#persona.verdict;
  }

  /**
   * Applies the answer for the open action, or says which field is wrong. Finished cases ignore it,
   * and a refresh (`nextAction: true`, empty `data`) changes nothing, whatever method it names:
   * the caller may be one step behind.
   */
  submit(request: VerifyRequest): RejectedSubmission | undefined {
    this.checkDeadlines();
    const step = this.#currentStep;
    if (step === undefined || step.outcome !== 'open' || isRefresh(request)) return undefined;
    const index = request.strategy.actions.findIndex((action) => action.method.trim().toUpperCase() === step.method);
    const action = request.strategy.actions[index];
    if (action === undefined) {
      return { field: 'strategy.actions[0].method', message: `the open action's method is ${step.method}` };
    }
    const rejection = step.reject(action.data);
    if (rejection !== undefined) return { field: `strategy.actions[${index}].data.${rejection.field}`, message: rejection.message };
    step.submit({ data: action.data, phoneNumber: request.phoneNumber, email: request.email });
    this.#startNextStepOnceCurrentPassed();
    return undefined;
  }

  /** Lets an open step notice a passed deadline (an OTH link expiring ends it and sends its webhook). */
  checkDeadlines(): void {
    this.#currentStep?.checkDeadline?.();
  }

  toResponse(): VerificationResponseBody {
    this.checkDeadlines();
    return {
      inquiryId: this.inquiryId,
      authenticationId: this.authenticationId,
      deviceSessionId: this.#deviceSessionId,
      decision: this.decision,
      strategy: {
        strategyName: this.#strategyName,
        description: this.#persona.description,
        status: 'active',
        actions: this.#startedSteps.map((step) => step.toAction()),
      },
    };
  }

  get #currentStep(): VerificationStep | undefined {
    return this.#startedSteps.at(-1);
  }

  #startNextStepOnceCurrentPassed(): void {
    if (this.#currentStep?.outcome === 'passed') this.#startNextStep();
  }

  #startNextStep(): void {
    const definition = this.#pendingSteps.shift();
    if (definition !== undefined) this.#startedSteps.push(startStep(definition, this.#stepContext));
  }
}

export class CaseStore {
  readonly #casesById = new Map<string, VerificationCase>();

  open(opening: CaseOpening): VerificationCase {
    const verificationCase = new VerificationCase(opening);
    this.#casesById.set(verificationCase.authenticationId, verificationCase);
    return verificationCase;
  }

  /** Both ids must match, and a miss does not say which one was wrong. */
  find(authenticationId: string, inquiryId: string): VerificationCase | undefined {
    const found = this.#casesById.get(authenticationId);
    return found?.inquiryId === inquiryId ? found : undefined;
  }

  checkDeadlines(): void {
    for (const verificationCase of this.#casesById.values()) verificationCase.checkDeadlines();
  }

  clear(): void {
    this.#casesById.clear();
  }
}

/** A case's next step, of the method its persona defines. */
function startStep(definition: StepDefinition, context: StepContext): VerificationStep {
  switch (definition.method) {
    case 'OTP':
      return new OtpStep(definition, context);
    case 'KBA':
      return new KbaStep(context);
    case 'OTH':
      return new OthStep(definition, context);
    case 'DOCV':
      return new DocvStep(definition, context);
  }
}
