// The languages the elements ship a catalogue for (src/elements/shared/locales/), each named in
// itself: the demo's Language menu and the docs site's list them from here.

/** @type {ReadonlyArray<readonly [string, string]>} */
export const LANGUAGES = [
  ['en', 'English'],
  ['ar', 'العربية'],
  ['de', 'Deutsch'],
  ['es', 'Español'],
  ['fr', 'Français'],
  ['he', 'עברית'],
  ['it', 'Italiano'],
  ['ja', '日本語'],
  ['nl', 'Nederlands'],
  ['pl', 'Polski'],
  ['pt-BR', 'Português (Brasil)'],
  ['zh-CN', '中文（简体）'],
];

/** The languages written right to left. */
export const RIGHT_TO_LEFT = new Set(['ar', 'he']);
