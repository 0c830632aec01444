import { expect, fixture, html, nextFrame } from '@open-wc/testing';
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { errorStatus } from '../../../src/contract/relay-api.js';
import {
  directionOf,
  LocalizeController,
  type MessageOverrides,
  messagesFor,
  registerMessages,
  resetRegisteredMessages,
  resolveLanguage,
} from '../../../src/elements/shared/localize.js';
import { ar } from '../../../src/elements/shared/locales/ar.js';
import { otpEntryStrings } from '../../../src/elements/otp-entry/otp-entry.strings.js';
import { en as flowEnglish } from '../../../src/elements/shared/locales/en.js';
import { stepStrings } from '../../../src/elements/shared/locales/en-steps.js';
import { es } from '../../../src/elements/shared/locales/es.js';
import { de } from '../../../src/elements/shared/locales/de.js';
import { fr } from '../../../src/elements/shared/locales/fr.js';
import { he } from '../../../src/elements/shared/locales/he.js';
import { it as italian } from '../../../src/elements/shared/locales/it.js';
import { nl } from '../../../src/elements/shared/locales/nl.js';
import { pl } from '../../../src/elements/shared/locales/pl.js';
import { ptBR } from '../../../src/elements/shared/locales/pt-br.js';

/** English as a step element has it: the flow's strings and the ones only steps show. */
const en = messagesFor('en', undefined, stepStrings);

class LocalizedProbe extends LitElement {
  readonly localize = new LocalizeController(this, otpEntryStrings);
  @property({ attribute: false }) messages?: MessageOverrides;
  renders = 0;
  /** What every element does: no render before the strings of its language are there. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const loading = this.localize.loading;
    return loading ? loading.then(() => this.scheduleUpdate()) : super.scheduleUpdate();
  }
  override render() {
    this.renders++;
    return html`<p>${this.localize.msg.otpVerify}</p>`;
  }
}
customElements.define('localized-probe', LocalizedProbe);

const text = (el: LocalizedProbe) => el.shadowRoot!.querySelector('p')!.textContent;

describe('localize', () => {
  const originalLang = document.documentElement.lang;
  afterEach(() => {
    document.documentElement.lang = originalLang;
    resetRegisteredMessages();
  });

  describe('resolveLanguage', () => {
    it('uses the exact tag, then its base language, then English', () => {
      expect(resolveLanguage('es')).to.equal('es');
      expect(resolveLanguage('es-MX')).to.equal('es');
      expect(resolveLanguage('ES_mx')).to.equal('es');
      expect(resolveLanguage('ar-EG')).to.equal('ar');
      expect(resolveLanguage('fr-CA')).to.equal('fr');
      // One Portuguese and one Chinese ship, under their base language.
      expect(resolveLanguage('pt-BR')).to.equal('pt');
      expect(resolveLanguage('zh-CN')).to.equal('zh');
      expect(resolveLanguage('sv')).to.equal('en');
      expect(resolveLanguage('')).to.equal('en');
      expect(resolveLanguage(null)).to.equal('en');
    });

    it('knows which languages are right to left', () => {
      expect(directionOf('ar')).to.equal('rtl');
      expect(directionOf('he-IL')).to.equal('rtl');
      expect(directionOf('es')).to.equal('ltr');
      // Hausa and Kurmanji are written mostly in Latin script today; Sorani Kurdish is not.
      expect(directionOf('ha')).to.equal('ltr');
      expect(directionOf('ku')).to.equal('ltr');
      expect(directionOf('ckb')).to.equal('rtl');
    });
  });

  describe('catalogues', () => {
    it('explain every contract and client error code, and fall back for unknown ones', () => {
      const codes = [...Object.keys(errorStatus), 'network_error', 'offline', 'timeout', 'invalid_response', 'aborted'];
      for (const catalogue of [en, es, ar]) {
        const fallback = catalogue.errorMessage('no_such_code_42');
        expect(fallback).to.be.a('string').and.not.equal('');
        for (const code of codes) {
          const message = catalogue.errorMessage(code);
          expect(message, code).to.be.a('string').and.not.equal('');
          expect(message, code).not.to.equal(fallback);
        }
      }
      // Inherited object keys are not error codes.
      expect(en.errorMessage('toString')).to.equal(en.errorMessage('no_such_code_42'));
    });

    it('interpolate and pluralise', () => {
      expect(en.flowStep(1, 2)).to.equal('Step 1 of 2');
      expect(en.attemptsLeft(1)).to.equal('1\u00a0attempt left.');
      expect(en.attemptsLeft(3)).to.equal('3\u00a0attempts left.');
      expect(en.duration(45)).to.equal('45\u00a0seconds');
      expect(en.duration(120)).to.equal('2\u00a0minutes');
      expect(en.duration(61)).to.equal('1\u00a0minute 1\u00a0second');
      expect(es.attemptsLeft(1)).to.equal('Queda 1\u00a0intento.');
      expect(es.attemptsLeft(4)).to.equal('Quedan 4\u00a0intentos.');
      expect(es.duration(61)).to.equal('1\u00a0minuto y 1\u00a0segundo');
      expect(es.kbaTimeLeftAnnouncement(60)).to.equal('Queda 1\u00a0minuto para responder.');
      expect(es.kbaTimeLeftAnnouncement(120)).to.equal('Quedan 2\u00a0minutos para responder.');
      expect(ar.attemptsLeft(2)).to.equal('تبقّت محاولتان.');
      expect(ar.attemptsLeft(5)).to.equal('تبقّت 5\u00a0محاولات.');
      // The dual is nominative on its own: ثانيتان, دقيقتان.
      expect(ar.duration(2)).to.equal('ثانيتان');
      expect(ar.duration(120)).to.equal('دقيقتان');
    });

    it('keep a number and its noun on one line (a no-break space between them), in every language that spaces words', () => {
      const english = { ...en, ...stepStrings, ...otpEntryStrings };
      for (const catalogue of [english, es, ar, de, fr, he, italian, nl, pl, ptBR]) {
        for (const text of [catalogue.attemptsLeft(3), catalogue.attemptsLeft(5), catalogue.duration(45), catalogue.duration(300), catalogue.resendsLeft(5)]) {
          expect(text, text).not.to.match(/\d /);
          expect(text, text).to.match(/\d\u00a0/);
        }
      }
    });

    it('keep the flow\'s own English to what it shows: the steps\' errors and durations come with the steps', () => {
      expect(flowEnglish.errorMessage('session_expired')).to.equal(en.errorMessage('session_expired'));
      expect(flowEnglish.errorMessage('wrong_code')).to.equal(flowEnglish.errorMessage('no_such_code_42'));
      expect(en.errorMessage('wrong_code')).to.equal("That code isn't right.");
      expect('duration' in flowEnglish).to.equal(false);
    });

    it('merge registered overrides over the built-in strings, one level deep', () => {
      registerMessages('en', { otpVerify: 'Confirm', flowDecisionTitle: { ALLOW: 'All set' } });
      const messages = messagesFor('en');
      expect(messages.otpVerify).to.equal('Confirm');
      expect(messages.flowDecisionTitle.ALLOW).to.equal('All set');
      expect(messages.flowDecisionTitle.BLOCK).to.equal(en.flowDecisionTitle.BLOCK);
    });

    it('make a registered language selectable, falling back to English for missing keys', () => {
      registerMessages('sv', { otpVerify: 'Verifiera' });
      expect(resolveLanguage('sv-FI')).to.equal('sv');
      expect(messagesFor('sv').otpVerify).to.equal('Verifiera');
      expect(messagesFor('sv', undefined, otpEntryStrings).otpResend).to.equal(otpEntryStrings.otpResend);
    });

    it("keep each element's English with the element: the shared catalogue holds only the shared strings", () => {
      expect(messagesFor('en').retry).to.equal('Try again');
      expect(messagesFor('en')).to.not.have.property('otpResend');
      expect(messagesFor('en', undefined, otpEntryStrings).otpResend).to.equal('Send a new code');
      // Other languages' built-in catalogues are whole files: nothing to add.
      expect(Object.keys(es)).to.include.members(Object.keys(otpEntryStrings));
    });
  });

  describe('LocalizeController', () => {
    it('falls back to English without any lang', async () => {
      document.documentElement.lang = '';
      const el = await fixture<LocalizedProbe>(html`<localized-probe></localized-probe>`);
      expect(el.localize.lang).to.equal('en');
      expect(text(el)).to.equal('Verify');
      expect(el.getAttribute('dir')).to.equal('ltr');
    });

    it("uses the host's lang, then the closest ancestor's, across shadow roots", async () => {
      const own = await fixture<LocalizedProbe>(html`<localized-probe lang="es-MX"></localized-probe>`);
      expect(own.localize.lang).to.equal('es');
      expect(text(own)).to.equal('Verificar');

      const wrapper = await fixture<HTMLDivElement>(html`<div lang="ar"><div></div></div>`);
      const shadowHost = wrapper.querySelector('div')!;
      const root = shadowHost.attachShadow({ mode: 'open' });
      const nested = document.createElement('localized-probe') as LocalizedProbe;
      root.append(nested);
      await nested.updateComplete;
      expect(nested.localize.lang).to.equal('ar');
      expect(nested.localize.dir).to.equal('rtl');
      expect(nested.getAttribute('dir')).to.equal('rtl');
      expect(text(nested)).to.equal(ar.otpVerify);
    });

    it('follows <html lang> and re-renders when it changes', async () => {
      document.documentElement.lang = 'en';
      const el = await fixture<LocalizedProbe>(html`<localized-probe></localized-probe>`);
      expect(text(el)).to.equal('Verify');
      document.documentElement.lang = 'es';
      await nextFrame();
      await el.updateComplete;
      expect(text(el)).to.equal('Verificar');
    });

    it("re-renders when the host's own lang changes", async () => {
      const el = await fixture<LocalizedProbe>(html`<localized-probe lang="en"></localized-probe>`);
      el.lang = 'ar';
      await nextFrame();
      await el.updateComplete;
      expect(text(el)).to.equal(ar.otpVerify);
      expect(el.getAttribute('dir')).to.equal('rtl');
    });

    it("keeps a dir the page set on the host", async () => {
      const el = await fixture<LocalizedProbe>(html`<localized-probe lang="ar" dir="ltr"></localized-probe>`);
      expect(el.localize.dir).to.equal('rtl');
      expect(el.getAttribute('dir')).to.equal('ltr');
    });

    it('applies registerMessages to connected hosts, and per-element messages over them', async () => {
      const el = await fixture<LocalizedProbe>(html`<localized-probe lang="en"></localized-probe>`);
      registerMessages('en', { otpVerify: 'Check' });
      await el.updateComplete;
      expect(text(el)).to.equal('Check');
      el.messages = { otpVerify: 'Mine' };
      await el.updateComplete;
      expect(text(el)).to.equal('Mine');
    });
  });
});
