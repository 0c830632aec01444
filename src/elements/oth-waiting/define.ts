/** Registers `<oth-waiting>`. Import this module for the side effect; import `oth-waiting.js` to register under another name. */
import { OthWaiting } from './oth-waiting.js';

OthWaiting.define();

declare global {
  interface HTMLElementTagNameMap {
    'oth-waiting': OthWaiting;
  }
}
