// The gallery of every state (gallery.html): each element in each state it really has, drawn from
// the fixtures and fake client of gallery-states.js, which the docs site's element pages draw too.
// No innerHTML anywhere: the page runs under Trusted Types.
import { chosenStates, stateDrawer, stateList, stateSections, standInForWebOtp } from './gallery-states.js';
import { rememberChoice, rememberedChoice } from './remembered-choice.js';

standInForWebOtp();

/** `?only=otp,flow-allow`: just the states whose id starts with one of these. */
const sections = chosenStates(stateSections, new URLSearchParams(location.search).get('only')?.split(',').filter(Boolean) ?? []);

const main = document.querySelector('.gallery');
const container = document.getElementById('gallery-sections');
const nav = document.getElementById('gallery-nav');
const themeSelect = document.getElementById('gallery-theme');
const THEME_KEY = 'k360-demo-theme';
const THEMES = ['system', 'light', 'dark'];
const drawer = stateDrawer();

function createElement(tag, properties = {}, children = []) {
  const element = Object.assign(document.createElement(tag), properties);
  element.append(...children);
  return element;
}

function buildPage() {
  nav.replaceChildren(...sections.map((section) => createElement('li', {}, [createElement('a', { href: `#${section.tag}`, textContent: `<${section.tag}>` })])));
  container.replaceChildren(
    ...sections.map((section) => {
      const title = createElement('h2', { id: `${section.tag}-title`, lang: 'en', textContent: `<${section.tag}>` });
      const element = createElement('section', { className: 'gallery-section', id: section.tag }, [title, stateList(section)]);
      element.setAttribute('aria-labelledby', title.id);
      return element;
    }),
  );
}

async function showEveryState() {
  main.setAttribute('aria-busy', 'true');
  delete main.dataset.ready;
  if (!(await drawer.draw(sections.flatMap((section) => section.states)))) return;
  main.setAttribute('aria-busy', 'false');
  main.dataset.ready = 'true';
}

function applyTheme(theme) {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  themeSelect.value = theme;
}

const requestedTheme = new URLSearchParams(location.search).get('theme');
applyTheme(THEMES.includes(requestedTheme) ? requestedTheme : THEMES.includes(rememberedChoice(THEME_KEY)) ? rememberedChoice(THEME_KEY) : 'system');
themeSelect.addEventListener('change', () => {
  applyTheme(themeSelect.value);
  rememberChoice(THEME_KEY, 'theme', themeSelect.value);
});

document.getElementById('gallery-rebuild').addEventListener('click', () => void showEveryState());

// The elements follow a new language by themselves, but what they already said (an alert, a
// status) stays in the words it was said in: every state is drawn again in the new language.
new MutationObserver(() => void showEveryState()).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

buildPage();
void showEveryState();
