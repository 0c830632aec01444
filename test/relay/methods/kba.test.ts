import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StrategyAction } from '../../../src/contract/kount/index.js';
import type { AnswerRequest } from '../../../src/contract/relay-api.js';
import { RelayError } from '../../../src/relay/errors.js';
import { kbaMethod } from '../../../src/relay/methods/kba.js';
import { kountAnswer, methodDependencies, NOW, ScriptedKount, session } from './fixtures.js';

const QUIZ: StrategyAction = {
  method: 'KBA',
  status: 'challenge',
  data: {
    expiresAt: new Date(NOW + 60_000).toISOString(),
    questions: [{ questionId: 7, questionText: 'Which street?', choiceType: { type: 'SINGLE_CHOICE' }, choices: [{ choiceId: 1, choiceText: 'Elm' }, { choiceId: 2, choiceText: 'Oak' }] }],
  },
};
const ANSWER: AnswerRequest = { method: 'KBA', answers: [{ questionId: '7', choiceIds: ['2'] }] };
const refusedWith = (code: string) => (error: unknown) => error instanceof RelayError && error.code === code;

describe('KBA method', () => {
  it('sends nothing of its own and shows the questions with Kount’s ids as text', () => {
    const method = kbaMethod(methodDependencies());
    assert.equal(method.firstSend(QUIZ, session(QUIZ)), null);
    const view = method.view(QUIZ, session(QUIZ), NOW);
    assert.equal(view.method === 'KBA' && view.questions[0]?.choices[1]?.id, '2');
  });

  it('sends the answers with Kount’s own ids, one questionnaire answer in flight at a time', async () => {
    const kount = new ScriptedKount(kountAnswer({ ...QUIZ, status: 'verified' }, 'ALLOW'));
    const method = kbaMethod(methodDependencies(kount));
    const answer = method.answer?.(QUIZ, ANSWER, session(QUIZ), NOW);
    assert.ok(answer);
    assert.equal(answer.sends, null);
    const reserved = answer.reserve(session(QUIZ), NOW);
    assert.throws(() => method.answer?.(QUIZ, ANSWER, reserved, NOW).reserve(reserved, NOW), refusedWith('action_mismatch'));
    const settled = answer.settle(reserved, await answer.call(reserved), NOW);
    assert.deepEqual(kount.requests[0]?.strategy.actions[0]?.data, { questions: [{ questionId: 7, answers: [2] }] });
    assert.equal(settled.outcome, 'decided');
    assert.equal(settled.session.answersInFlight, undefined);
  });

  it('reads a quiz still open afterwards as wrong answers, or as late when it was by the relay’s clock', () => {
    const fresh = kountAnswer({ ...QUIZ, data: { ...QUIZ.data, questions: QUIZ.data?.questions ?? [] } });
    const onTime = kbaMethod(methodDependencies()).answer?.(QUIZ, ANSWER, session(QUIZ), NOW);
    assert.ok(onTime);
    assert.ok(refusedWith('wrong_answers')(onTime.settle(onTime.reserve(session(QUIZ), NOW), fresh, NOW).refusal));
    const late = kbaMethod(methodDependencies()).answer?.(QUIZ, ANSWER, session(QUIZ), NOW + 61_000);
    assert.ok(late);
    assert.ok(refusedWith('quiz_expired')(late.settle(late.reserve(session(QUIZ), NOW + 61_000), fresh, NOW + 62_000).refusal));
  });

  it('refuses answers for other questions before anything is reserved', () => {
    assert.throws(() => kbaMethod(methodDependencies()).answer?.(QUIZ, { method: 'KBA', answers: [{ questionId: '8', choiceIds: ['1'] }] }, session(QUIZ), NOW), refusedWith('action_mismatch'));
  });
});
