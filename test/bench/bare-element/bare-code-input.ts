/**
 * The page bench's baseline: the smallest Lit element a one-time-passcode step could be (a label
 * and one input), built the same way as the CDN bundle. What k360-verify's OTP page costs beyond
 * this is the product's own weight.
 */
import { css, html, LitElement } from 'lit';

export class BareCodeInput extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;

  override render() {
    return html`<label for="code">Enter the code</label>
      <input id="code" autocomplete="one-time-code" inputmode="numeric" maxlength="6" />`;
  }
}

customElements.define('bare-code-input', BareCodeInput);
