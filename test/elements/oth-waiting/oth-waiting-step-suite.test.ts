import { fixture, html } from '@open-wc/testing';
import '../../../src/elements/oth-waiting/define.js';
import type { OthActionView } from '../../../src/contract/browser.js';
import type { OthWaiting } from '../../../src/elements/oth-waiting/oth-waiting.js';
import { othAction, partOf, settle } from '../helpers.js';
import { runStepElementSuite } from '../shared/step-element-suite.js';

runStepElementSuite<OthWaiting>({
  tag: 'oth-waiting',
  action: () => othAction(),
  mount: (client, action) => fixture<OthWaiting>(html`<oth-waiting lang="en" .client=${client} .action=${action as OthActionView | undefined}></oth-waiting>`),
  act: async (el) => {
    partOf<HTMLButtonElement>(el, 'resend')?.click();
    await settle(el);
  },
  actCall: 'resend',
});
