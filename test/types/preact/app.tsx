// #region recipe preact
import type {} from 'k360-verify/types/preact';
import 'k360-verify/verification-flow';

export const Checkout = () => <verification-flow relay="/verify" onverify-complete={(event) => console.log(event.detail.decision)} />;
// #endregion recipe

// @ts-expect-error: relay is a string
export const Wrong = () => <verification-flow relay={42} />;
