import { expect } from '@open-wc/testing';
import { isCompleteCode, normalizeCode, toAsciiDigits } from '../../../src/elements/otp-entry/code.js';

describe('code normalisation', () => {
  it('maps digits from other scripts to ASCII', () => {
    expect(toAsciiDigits('٠١٢٣٤٥٦٧٨٩')).to.equal('0123456789');
    expect(toAsciiDigits('۱۲۳')).to.equal('123');
    expect(toAsciiDigits('１２３')).to.equal('123');
    expect(toAsciiDigits('a1')).to.equal('a1');
  });

  it('drops grouping and cuts to the code length', () => {
    expect(normalizeCode('123 456', 6)).to.equal('123456');
    expect(normalizeCode('123-456', 6)).to.equal('123456');
    expect(normalizeCode('123\u00a0456', 6)).to.equal('123456');
    expect(normalizeCode('123.456', 6)).to.equal('123456');
    expect(normalizeCode('1234567', 6)).to.equal('123456');
  });

  it('takes the digits out of a message only when they are exactly one code', () => {
    expect(normalizeCode('Your code is 123456', 6)).to.equal('123456');
    expect(normalizeCode('G-123456', 6)).to.equal('123456');
    expect(normalizeCode('12a', 6)).to.equal('12a');
    expect(normalizeCode('code 12', 6)).to.equal('code12');
  });

  it('knows a complete code', () => {
    expect(isCompleteCode('123456', 6)).to.equal(true);
    expect(isCompleteCode('12345', 6)).to.equal(false);
    expect(isCompleteCode('12345a', 6)).to.equal(false);
  });
});
