import { expect } from '@open-wc/testing';
import { readErrorBody, readView } from '../../src/client/relay-client.js';
import { challengeViewOf, decided, kbaAction, otpAction } from '../elements/helpers.js';

// Runs at both depths: the production check (`unit`) and the contract's schemas (`unit-dev`).
describe('reading what the relay sends', () => {
  it('takes views of every kind', () => {
    for (const view of [challengeViewOf(otpAction(), 3), challengeViewOf(kbaAction(), 4), decided(5, 'BLOCK')]) {
      expect(readView(JSON.parse(JSON.stringify(view)))).to.deep.equal(view);
    }
  });

  it('refuses what the elements could not branch on', () => {
    const otp = challengeViewOf(otpAction(), 3);
    const refused: unknown[] = [
      null,
      'view',
      [],
      { ...otp, revision: '3' },
      { ...otp, state: 'pending' },
      { ...otp, step: undefined },
      { ...otp, step: { index: 1 } },
      { ...otp, action: { ...otp.action, method: 'SMS' } },
      { ...otp, action: null },
      challengeViewOf({ ...kbaAction(), questions: undefined } as never, 3),
      { state: 'decided', decision: 'MAYBE', revision: 4 },
      { state: 'decided', revision: 4 },
    ];
    for (const payload of refused) expect(readView(payload), JSON.stringify(payload)).to.equal(undefined);
  });

  it("reads the relay's error body, and nothing else as one", () => {
    const body = { error: { code: 'wrong_code', message: "That code isn't right." } };
    expect(readErrorBody(body)).to.deep.equal(body);
    for (const payload of [undefined, { error: 'wrong_code' }, { error: { code: 'wrong_code' } }, { code: 'wrong_code', message: 'x' }]) {
      expect(readErrorBody(payload)).to.equal(undefined);
    }
  });
});
