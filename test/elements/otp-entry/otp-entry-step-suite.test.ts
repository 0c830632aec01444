import { fixture, html } from '@open-wc/testing';
import type { OtpActionView } from '../../../src/contract/browser.js';
import type { OtpEntry } from '../../../src/elements/otp-entry/otp-entry.js';
import { otpAction, settle } from '../helpers.js';
import { runStepElementSuite } from '../shared/step-element-suite.js';
import { typeInto } from './fixtures.js';

runStepElementSuite<OtpEntry>({
  tag: 'otp-entry',
  action: () => otpAction(),
  mount: (client, action) => fixture<OtpEntry>(html`<otp-entry lang="en" .client=${client} .action=${action as OtpActionView | undefined}></otp-entry>`),
  act: async (el) => {
    typeInto(el, '123456');
    await settle(el);
  },
  actCall: 'answer',
});
