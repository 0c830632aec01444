// #region recipe solid
import type {} from 'k360-verify/types/solid';
import 'k360-verify/verification-flow';

export const Checkout = () => <verification-flow relay="/verify" onverify-complete={(event) => console.log(event.detail.decision)} />;
// #endregion recipe

// @ts-expect-error: not an element of the package
export const Wrong = () => <verification-flows relay="/verify" />;
