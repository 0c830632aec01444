/** The CDN bundle's file names, shared by the Vite configuration and its plugins. */
export const ENTRY_FILE = 'k360-verify.js';
export const IIFE_FILE = 'k360-verify.iife.js';
/** `{ "<file>": "sha384-…" }` for every file the entry loads on demand. */
export const INTEGRITY_FILE = 'k360-verify.integrity.json';
export const localeFileName = (language: string): string => `k360-verify.locale-${language}.js`;
