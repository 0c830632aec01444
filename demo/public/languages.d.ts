/** The languages the elements ship a catalogue for, each named in itself (languages.js). */
export declare const LANGUAGES: ReadonlyArray<readonly [string, string]>;
/** The languages written right to left. */
export declare const RIGHT_TO_LEFT: ReadonlySet<string>;
