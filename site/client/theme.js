// The docs site's theme, set before the page is drawn (a classic script in <head>, so a dark page
// never flashes light): `?theme=` wins, then the choice remembered by the Theme menu (site.js).
(function () {
  var themes = ['light', 'dark'];
  var wanted = new URLSearchParams(location.search).get('theme');
  if (wanted === null) {
    try {
      wanted = localStorage.getItem('k360-docs-theme');
    } catch (error) {
      wanted = null;
    }
  }
  if (themes.indexOf(wanted) !== -1) document.documentElement.setAttribute('data-theme', wanted);
})();
