// What `<verification-flow relay="/verify" onverify-complete={…} />` in a .svelte file is checked against.
import type { SvelteHTMLElements } from 'svelte/elements';
import type {} from 'k360-verify/types/svelte';

export const flow: SvelteHTMLElements['verification-flow'] = {
  relay: '/verify',
  'onverify-complete': (event) => console.log(event.detail.decision, event.target.decision),
};

export const wrong: SvelteHTMLElements['otp-entry'] = {
  // @ts-expect-error: disabled is a boolean
  disabled: 'yes',
};

export const badDetail: SvelteHTMLElements['verification-flow'] = {
  // @ts-expect-error: the detail has no such field
  'onverify-complete': (event) => event.detail.verdict.length,
};
