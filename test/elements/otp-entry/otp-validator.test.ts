import { expect } from '@open-wc/testing';
import { otpEntryStrings } from '../../../src/elements/otp-entry/otp-entry.strings.js';
import { hasNonDigits, otpValidity } from '../../../src/elements/otp-entry/otp-validator.js';

describe('otpValidity', () => {
  it('says what is missing, in order: the value, digits only, then every digit', () => {
    expect(otpValidity('', 6, otpEntryStrings)).to.deep.equal({ flags: { valueMissing: true }, message: 'Enter the 6-digit code.' });
    expect(otpValidity('12a', 6, otpEntryStrings)).to.deep.equal({ flags: { patternMismatch: true }, message: 'Use digits only.' });
    expect(otpValidity('1234', 6, otpEntryStrings)).to.deep.equal({ flags: { tooShort: true }, message: 'Enter all 6 digits.' });
    expect(otpValidity('1234', 4, otpEntryStrings)).to.deep.equal({ flags: {}, message: '' });
  });

  it('takes its words from the messages it is given', () => {
    const messages = { otpValueMissing: (n: number) => `vide ${n}`, otpPatternMismatch: 'chiffres', otpTooShort: (n: number) => `court ${n}` };
    expect(otpValidity('', 8, messages).message).to.equal('vide 8');
    expect(otpValidity('1-', 8, messages).message).to.equal('chiffres');
    expect(otpValidity('1', 8, messages).message).to.equal('court 8');
  });

  it('treats anything but ASCII digits as a pattern mismatch', () => {
    expect(hasNonDigits('123456')).to.equal(false);
    expect(hasNonDigits('١٢٣')).to.equal(true);
    expect(hasNonDigits('12 3')).to.equal(true);
    expect(otpValidity('12 456', 6, otpEntryStrings).flags).to.deep.equal({ patternMismatch: true });
  });
});
