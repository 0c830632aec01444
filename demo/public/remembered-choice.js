// A menu's choice (theme, language) kept across pages: in storage when there is any, and in the
// page's address, so a link shares it and the back button keeps it. Used by the demo's pages and
// the docs site.

/** The stored choice, or null (none stored, or no storage). */
export function rememberedChoice(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Stores the choice under `key` and puts it in the address as `?param=`. */
export function rememberChoice(key, param, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // No storage: the choice holds for this page and its address.
  }
  const url = new URL(location.href);
  url.searchParams.set(param, value);
  history.replaceState(history.state, '', url);
}
