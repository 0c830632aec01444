import type { Context } from 'hono';
import { AssessmentRequest, VerifyRequest } from '../contract/kount/index.js';
import type { CaseServices, CaseStore } from './cases.js';
import { readJsonBody } from './json-body.js';
import { jsonError } from './json-errors.js';
import { personaFor } from './personas.js';

export interface IdentityProofingDependencies {
  readonly cases: CaseStore;
  readonly services: CaseServices;
}

/** Kount documents `x-correlation-id` as mandatory on the assessment; Login v2 echoes it back. */
const CORRELATION_HEADER = 'x-correlation-id';

export function assessHandler({ cases, services }: IdentityProofingDependencies) {
  return async (c: Context): Promise<Response> => {
    const correlationId = c.req.header(CORRELATION_HEADER)?.trim();
    if (!correlationId) {
      return jsonError(c, 400, { error: 'invalid_request', message: `${CORRELATION_HEADER} header is required`, field: CORRELATION_HEADER });
    }
    const body = await readJsonBody(c, AssessmentRequest);
    if (!body.ok) return body.response;
    const persona = personaFor(body.value.applicant?.email);
    const opened = cases.open({ request: body.value, persona, services });
    return c.json(opened.toResponse(), 200, { 'Cache-Control': 'no-store', [CORRELATION_HEADER]: correlationId });
  };
}

export function verifyHandler({ cases }: IdentityProofingDependencies) {
  return async (c: Context): Promise<Response> => {
    const body = await readJsonBody(c, VerifyRequest);
    if (!body.ok) return body.response;
    const found = cases.find(body.value.authenticationId, body.value.inquiryId);
    if (found === undefined) {
      return jsonError(c, 404, { error: 'not_found', message: 'no case matches this authenticationId and inquiryId' });
    }
    const rejected = found.submit(body.value);
    if (rejected !== undefined) {
      return jsonError(c, 400, { error: 'invalid_request', message: `${rejected.field}: ${rejected.message}`, field: rejected.field });
    }
    const correlationId = c.req.header(CORRELATION_HEADER)?.trim();
    return c.json(found.toResponse(), 200, { 'Cache-Control': 'no-store', ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}) });
  };
}
