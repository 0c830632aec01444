import type { AnswerRequest } from '../../contract/relay-api.js';
import { RelayError } from '../errors.js';

/** The answer narrowed to the step's method; the orchestrator has compared them, this keeps the types honest. */
export function expectAnswer<Method extends AnswerRequest['method']>(answer: AnswerRequest, method: Method): Extract<AnswerRequest, { method: Method }> {
  if (answer.method !== method) throw new RelayError('action_mismatch', `This step expects a ${method} answer.`);
  return answer as Extract<AnswerRequest, { method: Method }>;
}
