/**
 * Turning what the shopper typed, pasted or had autofilled into a code.
 */

/** Blocks of decimal digits people type codes with, by their zero; each block is zero..zero+9. */
const digitZeros = [
  0x0660, // Arabic-Indic
  0x06f0, // Extended Arabic-Indic (Persian, Urdu)
  0x0966, // Devanagari
  0x09e6, // Bengali
  0xff10, // Fullwidth (Japanese, Chinese keyboards)
];

/** Spaces, dashes and dots that codes are grouped with ("123 456", "123-456", "123.456"). */
const separators = /[\s\-\u2010-\u2015\u2212._\u00b7\u30fb]/g;

/** Replaces digits from other scripts with ASCII ones ("١٢٣" → "123"). */
export function toAsciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (digit) => {
    const codePoint = digit.codePointAt(0)!;
    const zero = digitZeros.find((start) => codePoint >= start && codePoint <= start + 9);
    return zero === undefined ? digit : String(codePoint - zero);
  });
}

/**
 * The code in `raw`: ASCII digits with grouping separators removed, at most `length` characters.
 * Text around exactly one code's worth of digits ("Your code is 123456", "G-123456") gives the
 * digits. Anything else keeps its letters, so the field can say "use digits only" instead of
 * silently dropping keystrokes.
 */
export function normalizeCode(raw: string, length: number): string {
  const cleaned = toAsciiDigits(raw).replace(separators, '');
  if (/^\d*$/.test(cleaned)) return cleaned.slice(0, length);
  const digits = cleaned.replace(/\D/g, '');
  if (digits.length === length) return digits;
  return cleaned.slice(0, length);
}

export function isCompleteCode(code: string, length: number): boolean {
  return code.length === length && /^\d+$/.test(code);
}
