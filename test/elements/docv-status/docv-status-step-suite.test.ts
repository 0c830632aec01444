import { fixture, html } from '@open-wc/testing';
import '../../../src/elements/docv-status/define.js';
import type { DocvActionView } from '../../../src/contract/browser.js';
import type { DocvStatus } from '../../../src/elements/docv-status/docv-status.js';
import { docvAction, partOf, settle } from '../helpers.js';
import { runStepElementSuite } from '../shared/step-element-suite.js';

runStepElementSuite<DocvStatus>({
  tag: 'docv-status',
  // A capture Kount lets the shopper retry: Try again is what calls the relay.
  action: () => docvAction({ progress: 'NEEDS_RETRY', retryAllowed: true, remainingRetries: 2 }),
  opening: () => docvAction(),
  mount: (client, action) => fixture<DocvStatus>(html`<docv-status lang="en" .client=${client} .action=${action as DocvActionView | undefined}></docv-status>`),
  act: async (el) => {
    partOf<HTMLButtonElement>(el, 'button')?.click();
    await settle(el);
  },
  actCall: 'answer',
});
