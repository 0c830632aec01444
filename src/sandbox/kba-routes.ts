import { Hono } from 'hono';
import type { KbaQuizBook } from './kba-quiz-book.js';
import { jsonError } from './json-errors.js';

/** `GET /sandbox/kba.json?authenticationId=`: the current questionnaire's correct answers, ready to post. */
export function kbaRoutes(quizzes: KbaQuizBook): Hono {
  const routes = new Hono();
  routes.get('/kba.json', (c) => {
    const authenticationId = c.req.query('authenticationId')?.trim();
    if (!authenticationId) {
      return jsonError(c, 400, { error: 'invalid_request', message: 'authenticationId is required', field: 'authenticationId' });
    }
    const found = quizzes.find(authenticationId);
    if (found === undefined) return jsonError(c, 404, { error: 'not_found', message: 'no KBA questionnaire for this authenticationId' });
    return c.json(found);
  });
  return routes;
}
