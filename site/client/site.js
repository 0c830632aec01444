// The docs site's page script: the Theme and Language menus, and on an element page every state of
// the element drawn live from the gallery's fixtures (demo/public/gallery-states.js), each talking
// to an in-page stand-in for the relay. No innerHTML anywhere: the pages run under Trusted Types.
import { stateDrawer, stateList, stateSections, standInForWebOtp } from '../../demo/public/gallery-states.js';
import { RIGHT_TO_LEFT } from '../../demo/public/languages.js';
import { rememberChoice, rememberedChoice } from '../../demo/public/remembered-choice.js';
import './site.css';

const THEME_KEY = 'k360-docs-theme';
const LANGUAGE_KEY = 'k360-docs-language';
const THEMES = ['system', 'light', 'dark'];

const params = new URLSearchParams(location.search);
const themeSelect = document.getElementById('site-theme');
const languageSelect = document.getElementById('site-language');
const live = document.querySelector('.live-states[data-states]');

/** The listed language a tag stands for (`de-AT` is `de`), or undefined. */
function listedLanguage(tag) {
  const wanted = String(tag ?? '').toLowerCase();
  const codes = [...languageSelect.options].map((option) => option.value);
  return codes.find((code) => code.toLowerCase() === wanted) ?? codes.find((code) => code.toLowerCase() === wanted.split('-')[0]);
}

function applyTheme(theme) {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  themeSelect.value = theme;
}

/**
 * The docs stay English; the live examples speak the language chosen. The elements follow the
 * closest `lang` (src/elements/shared/localize.ts), so the menu sets the examples' section's
 * `lang`, and its `dir`, as a page would set `<html lang dir>`.
 */
function applyLanguage(language) {
  languageSelect.value = language;
  if (!live) return;
  live.lang = language;
  live.dir = RIGHT_TO_LEFT.has(language.split('-')[0].toLowerCase()) ? 'rtl' : 'ltr';
}

const requestedTheme = params.get('theme');
applyTheme(THEMES.includes(requestedTheme) ? requestedTheme : THEMES.includes(rememberedChoice(THEME_KEY)) ? rememberedChoice(THEME_KEY) : 'system');
themeSelect.addEventListener('change', () => {
  applyTheme(themeSelect.value);
  rememberChoice(THEME_KEY, 'theme', themeSelect.value);
});

applyLanguage(listedLanguage(params.get('lang')) ?? listedLanguage(rememberedChoice(LANGUAGE_KEY)) ?? 'en');
languageSelect.addEventListener('change', () => {
  applyLanguage(languageSelect.value);
  rememberChoice(LANGUAGE_KEY, 'lang', languageSelect.value);
  // What an element already said (an alert, a status) stays in the words it was said in: draw again.
  void drawLiveStates();
});

const section = live ? stateSections.find((candidate) => candidate.tag === live.dataset.states) : undefined;
const drawer = stateDrawer(live ?? document);

/** Whether `node` is in `container`, through the shadow roots it sits in. */
function isWithin(container, node) {
  for (let current = node; current; current = current.getRootNode().host) {
    if (container.contains(current)) return true;
  }
  return false;
}

/**
 * Reaching a state presses the element's own buttons, and an element moves the focus as it would
 * for a shopper who pressed them: a dozen states would pull the reader to the last one drawn, and
 * a screen reader with it. While states are drawn, an element of the examples does not take the
 * focus (nor scroll to itself); once they are, a reader's own presses move it as usual.
 */
let drawingNow = 0;
const focus = HTMLElement.prototype.focus;
HTMLElement.prototype.focus = function focusUnlessDrawing(options) {
  if (drawingNow > 0 && live && isWithin(live, this)) return;
  focus.call(this, options);
};

async function drawLiveStates() {
  if (!live || !section) return;
  live.setAttribute('aria-busy', 'true');
  delete document.body.dataset.ready;
  drawingNow++;
  let newest;
  try {
    newest = await drawer.draw(section.states);
  } finally {
    drawingNow--;
  }
  if (!newest) return;
  live.setAttribute('aria-busy', 'false');
  document.body.dataset.ready = 'true';
}

if (live && section) {
  standInForWebOtp();
  live.append(stateList(section));
  live.querySelector('.redraw')?.addEventListener('click', () => void drawLiveStates());
  void drawLiveStates();
} else {
  live?.remove();
  document.body.dataset.ready = 'true';
}
