import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KbaChoiceType, VerificationResponse } from '../../src/contract/kount/index.js';
import { KBA_POLICY, KBA_QUESTION_BANK, type Sandbox } from '../../src/sandbox/index.js';
import {
  act,
  actionRequest,
  assess,
  type CaseAnswer,
  get,
  getToken,
  harness,
  jsonOf,
  type KbaKeyJson,
  kbaKey,
  onlyAction,
  refresh,
} from './helpers.js';

interface RawQuestion {
  readonly questionId: number;
  readonly questionText: string;
  readonly choiceType: { readonly type: string };
  readonly choices: readonly { readonly choiceId: number; readonly choiceText: string }[];
}

async function openKbaCase(sandbox: Sandbox): Promise<{ token: string; opened: CaseAnswer; key: KbaKeyJson }> {
  const token = await getToken(sandbox);
  const opened = await assess(sandbox, token, { email: 'kba@example.com' });
  return { token, opened, key: await kbaKey(sandbox, opened.raw.authenticationId) };
}

function questionsOf(answer: CaseAnswer): readonly RawQuestion[] {
  return onlyAction(answer).data['questions'] as RawQuestion[];
}

/** The right answers with the first question's answer swapped for a wrong choice. */
function wrongAnswers(answer: CaseAnswer, key: KbaKeyJson): { questionId: number; answers: number[] }[] {
  const [first, ...rest] = key.questions;
  assert.ok(first);
  const question = questionsOf(answer).find((candidate) => candidate.questionId === first.questionId);
  const wrongChoice = question?.choices.find((choice) => !first.answers.includes(choice.choiceId));
  assert.ok(wrongChoice);
  return [{ questionId: first.questionId, answers: [wrongChoice.choiceId] }, ...rest.map((entry) => ({ ...entry, answers: [...entry.answers] }))];
}

describe('sandbox KBA', () => {
  it('kba@example.com gets 3 to 5 questions of both choice types, 5 minutes and 2 attempts', async () => {
    const { sandbox, clock } = harness();
    const { opened, key } = await openKbaCase(sandbox);
    assert.equal(opened.raw.decision, 'Challenge');
    const action = onlyAction(opened);
    assert.equal(action.method, 'KBA');
    assert.equal(action.status, 'challenge');
    const questions = questionsOf(opened);
    assert.ok(questions.length >= 3 && questions.length <= 5, `${questions.length} questions`);
    const types = new Set(questions.map((question) => question.choiceType.type));
    assert.deepEqual([...types].sort(), ['MULTIPLE_CHOICE', 'SINGLE_CHOICE']);
    for (const type of types) assert.ok(KbaChoiceType.safeParse(type).success);
    assert.equal(typeof action.data['questionnaireId'], 'number');
    assert.equal(action.data['expiresAt'], new Date(clock.now() + 5 * 60 * 1000).toISOString());
    assert.equal(action.data['remainingVerificationAttempts'], '2');
    // The contract reads it: ids stay as sent, counters become numbers.
    const parsed = opened.parsed.strategy?.actions[0]?.data;
    assert.equal(parsed?.questions?.length, questions.length);
    assert.equal(parsed?.remainingVerificationAttempts, 2);
    assert.equal(key.questionnaireId, action.data['questionnaireId']);
    assert.deepEqual(
      key.questions.map((question) => question.questionId),
      questions.map((question) => question.questionId),
    );
    assert.equal(sandbox.messages.list().length, 0, 'a quiz sends no message');
  });

  it('states its policy, and every bank answer is one of its choices', () => {
    assert.deepEqual(KBA_POLICY, { minQuestions: 3, maxQuestions: 5, timeLimitMs: 300_000, maxAttempts: 2 });
    assert.ok(KBA_QUESTION_BANK.every((question) => question.correct.every((text) => question.choices.includes(text))));
  });

  it('draws questionnaires at random: 3-5 distinct questions, both types, unique ids, “None of the above” last', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    const sizes = new Set<number>();
    for (let index = 0; index < 60; index += 1) {
      const opened = await assess(sandbox, token, { email: 'kba@example.com' });
      const questions = questionsOf(opened);
      sizes.add(questions.length);
      assert.equal(new Set(questions.map((question) => question.questionText)).size, questions.length);
      assert.ok(questions.some((question) => question.choiceType.type === 'SINGLE_CHOICE'));
      assert.ok(questions.some((question) => question.choiceType.type === 'MULTIPLE_CHOICE'));
      const ids = questions.flatMap((question) => [question.questionId, ...question.choices.map((choice) => choice.choiceId)]);
      assert.equal(new Set(ids).size, ids.length);
      for (const question of questions) assert.equal(question.choices.at(-1)?.choiceText, 'None of the above');
    }
    assert.deepEqual([...sizes].sort(), [3, 4, 5]);
  });

  it('the right answers pass: action passed, decision Allow', async () => {
    const { sandbox } = harness();
    const { token, opened, key } = await openKbaCase(sandbox);
    const answer = await act(sandbox, token, opened.raw, 'KBA', { questions: key.questions });
    assert.equal(answer.raw.decision, 'Allow');
    const action = onlyAction(answer);
    assert.equal(action.status, 'passed');
    assert.equal(action.data.error, undefined);
    assert.equal(action.data['questions'], undefined, 'a finished quiz no longer shows its questions');
    assert.equal((await kbaKey(sandbox, opened.raw.authenticationId)).status, 'passed');
  });

  it('ids may come back as strings, in any order', async () => {
    const { sandbox } = harness();
    const { token, opened, key } = await openKbaCase(sandbox);
    const asStrings = [...key.questions].reverse().map((entry) => ({ questionId: String(entry.questionId), answers: [...entry.answers].reverse().map(String) }));
    const answer = await act(sandbox, token, opened.raw, 'KBA', { questions: asStrings });
    assert.equal(answer.raw.decision, 'Allow');
  });

  it('a wrong first attempt brings a fresh questionnaire with one attempt left', async () => {
    const { sandbox, clock } = harness();
    const { token, opened, key } = await openKbaCase(sandbox);
    clock.advance(60_000);
    const answer = await act(sandbox, token, opened.raw, 'KBA', { questions: wrongAnswers(opened, key) });
    assert.equal(answer.raw.decision, 'Challenge');
    const action = onlyAction(answer);
    assert.equal(action.status, 'challenge');
    assert.equal(action.data.error?.code, 'ANSWERS_INCORRECT');
    assert.equal(action.data['remainingVerificationAttempts'], '1');
    assert.notEqual(action.data['questionnaireId'], opened.raw.strategy.actions[0]?.data?.['questionnaireId']);
    assert.equal(action.data['expiresAt'], new Date(clock.now() + 5 * 60 * 1000).toISOString(), 'a new time limit');
    const oldIds = new Set(questionsOf(opened).map((question) => question.questionId));
    assert.ok(questionsOf(answer).every((question) => !oldIds.has(question.questionId)), 'new question ids');
    const fresh = await kbaKey(sandbox, opened.raw.authenticationId);
    assert.equal(fresh.questionnaireId, action.data['questionnaireId']);
    assert.equal(fresh.remainingVerificationAttempts, 1);

    const second = await act(sandbox, token, opened.raw, 'KBA', { questions: fresh.questions });
    assert.equal(second.raw.decision, 'Allow', 'the second questionnaire can still be passed');
  });

  it('a wrong second attempt ends the step: failed, Decline, attempts exhausted', async () => {
    const { sandbox } = harness();
    const { token, opened, key } = await openKbaCase(sandbox);
    const first = await act(sandbox, token, opened.raw, 'KBA', { questions: wrongAnswers(opened, key) });
    const fresh = await kbaKey(sandbox, opened.raw.authenticationId);
    const second = await act(sandbox, token, opened.raw, 'KBA', { questions: wrongAnswers(first, fresh) });
    assert.equal(second.raw.decision, 'Decline');
    const action = onlyAction(second);
    assert.equal(action.status, 'failed');
    assert.equal(action.data.error?.code, 'VERIFICATION_ATTEMPTS_EXHAUSTED');
    assert.equal(action.data['remainingVerificationAttempts'], '0');
    const after = await act(sandbox, token, opened.raw, 'KBA', { questions: (await kbaKey(sandbox, opened.raw.authenticationId)).questions });
    assert.equal(after.raw.decision, 'Decline', 'a finished case keeps its decision');
  });

  it('a missing question counts as a wrong answer; an extra choice on a multiple-choice question too', async () => {
    const { sandbox } = harness();
    const { token, opened, key } = await openKbaCase(sandbox);
    const partial = await act(sandbox, token, opened.raw, 'KBA', { questions: key.questions.slice(1) });
    assert.equal(onlyAction(partial).data.error?.code, 'ANSWERS_INCORRECT');

    const fresh = await kbaKey(sandbox, opened.raw.authenticationId);
    const multiple = fresh.answerKey.find((question) => question.choiceType === 'MULTIPLE_CHOICE');
    assert.ok(multiple);
    const choices = questionsOf(partial).find((question) => question.questionId === multiple.questionId)?.choices ?? [];
    const extra = choices.find((choice) => !multiple.correctChoices.some((correct) => correct.choiceId === choice.choiceId));
    assert.ok(extra);
    const withExtra = fresh.questions.map((entry) => (entry.questionId === multiple.questionId ? { ...entry, answers: [...entry.answers, extra.choiceId] } : entry));
    const answer = await act(sandbox, token, opened.raw, 'KBA', { questions: withExtra });
    assert.equal(answer.raw.decision, 'Decline');
  });

  it('answers after the time limit fail as QUIZ_EXPIRED, even when right, and count as an attempt', async () => {
    const { sandbox, clock } = harness();
    const { token, opened, key } = await openKbaCase(sandbox);
    clock.advance(5 * 60 * 1000);
    const answer = await act(sandbox, token, opened.raw, 'KBA', { questions: key.questions });
    assert.equal(answer.raw.decision, 'Challenge');
    const action = onlyAction(answer);
    assert.equal(action.data.error?.code, 'QUIZ_EXPIRED');
    assert.equal(action.data['remainingVerificationAttempts'], '1');

    clock.advance(5 * 60 * 1000);
    const late = await act(sandbox, token, opened.raw, 'KBA', { questions: (await kbaKey(sandbox, opened.raw.authenticationId)).questions });
    assert.equal(late.raw.decision, 'Decline');
    assert.equal(onlyAction(late).data.error?.code, 'VERIFICATION_ATTEMPTS_EXHAUSTED');
  });

  it('answers just inside the time limit pass', async () => {
    const { sandbox, clock } = harness();
    const { token, opened, key } = await openKbaCase(sandbox);
    clock.advance(5 * 60 * 1000 - 1);
    assert.equal((await act(sandbox, token, opened.raw, 'KBA', { questions: key.questions })).raw.decision, 'Allow');
  });

  it('unknown question or choice ids, duplicates and two answers to a single-choice question are refused with 400, changing nothing', async () => {
    const { sandbox } = harness();
    const { token, opened, key } = await openKbaCase(sandbox);
    const single = key.answerKey.find((question) => question.choiceType === 'SINGLE_CHOICE');
    assert.ok(single);
    const singleChoices = questionsOf(opened).find((question) => question.questionId === single.questionId)?.choices ?? [];
    const [q0] = key.questions;
    assert.ok(q0);
    const cases: { questions: unknown[]; field: string }[] = [
      { questions: [{ questionId: 999_999, answers: [1] }], field: 'strategy.actions[0].data.questions[0].questionId' },
      { questions: [{ questionId: q0.questionId, answers: [123] }], field: 'strategy.actions[0].data.questions[0].answers[0]' },
      { questions: [q0, q0], field: 'strategy.actions[0].data.questions[1].questionId' },
      { questions: [{ questionId: q0.questionId, answers: [] }], field: 'strategy.actions[0].data.questions[0].answers' },
      {
        questions: [{ questionId: single.questionId, answers: singleChoices.slice(0, 2).map((choice) => choice.choiceId) }],
        field: 'strategy.actions[0].data.questions[0].answers',
      },
      { questions: [], field: 'strategy.actions[0].data.questions' },
    ];
    for (const { questions, field } of cases) {
      const response = await sandbox.fetch(actionRequest(opened.raw, 'KBA', { questions }, token));
      assert.equal(response.status, 400, JSON.stringify(questions));
      const body = await jsonOf(response);
      assert.equal(body['error'], 'invalid_request');
      assert.equal(body['field'], field);
    }
    const missing = await sandbox.fetch(actionRequest(opened.raw, 'KBA', {}, token));
    assert.equal((await jsonOf(missing))['field'], 'strategy.actions[0].data.questions');
    const unchanged = await kbaKey(sandbox, opened.raw.authenticationId);
    assert.equal(unchanged.questionnaireId, key.questionnaireId);
    assert.equal(unchanged.remainingVerificationAttempts, 2, 'refused answers are not attempts');
    assert.equal((await act(sandbox, token, opened.raw, 'KBA', { questions: key.questions })).raw.decision, 'Allow');
  });

  it('answers to the previous questionnaire are refused as unknown questions', async () => {
    const { sandbox } = harness();
    const { token, opened, key } = await openKbaCase(sandbox);
    await act(sandbox, token, opened.raw, 'KBA', { questions: wrongAnswers(opened, key) });
    const response = await sandbox.fetch(actionRequest(opened.raw, 'KBA', { questions: key.questions }, token));
    assert.equal(response.status, 400);
    assert.equal((await jsonOf(response))['field'], 'strategy.actions[0].data.questions[0].questionId');
  });

  it('a refresh answers the current questionnaire without using an attempt', async () => {
    const { sandbox, clock } = harness();
    const { token, opened, key } = await openKbaCase(sandbox);
    clock.advance(1000);
    const refreshed = await refresh(sandbox, token, opened.raw, 'KBA');
    assert.deepEqual(refreshed.raw, opened.raw);
    assert.equal((await kbaKey(sandbox, opened.raw.authenticationId)).remainingVerificationAttempts, key.remainingVerificationAttempts);
    VerificationResponse.parse(refreshed.raw);
  });

  it('kba.json needs an authenticationId and knows only quiz cases', async () => {
    const { sandbox } = harness();
    const token = await getToken(sandbox);
    const otp = await assess(sandbox, token, { email: 'otp@example.com' });
    assert.equal((await get(sandbox, '/sandbox/kba.json')).status, 400);
    assert.equal((await get(sandbox, `/sandbox/kba.json?authenticationId=${otp.raw.authenticationId}`)).status, 404);
    assert.equal((await get(sandbox, '/sandbox/kba.json?authenticationId=nope')).status, 404);
  });

  it('kba.json gives each correct answer with its text', async () => {
    const { sandbox } = harness();
    const { opened, key } = await openKbaCase(sandbox);
    const questions = questionsOf(opened);
    for (const entry of key.answerKey) {
      const question = questions.find((candidate) => candidate.questionId === entry.questionId);
      assert.equal(entry.questionText, question?.questionText);
      assert.equal(entry.choiceType, question?.choiceType.type);
      assert.ok(entry.correctChoices.length >= 1);
      for (const correct of entry.correctChoices) assert.ok(question?.choices.some((choice) => choice.choiceId === correct.choiceId && choice.choiceText === correct.choiceText));
      if (entry.choiceType === 'SINGLE_CHOICE') assert.equal(entry.correctChoices.length, 1);
    }
  });
});
