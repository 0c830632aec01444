// The shop's page script on the checkout page test/docs/page-snippets.test.ts serves: the funnel events go to the
// shop's analytics (here a stand-in the page defines first, `window.analytics`, that the test reads back).
// #region recipe funnel-events
document.addEventListener('verify-analytics', ({ detail }) => {
  analytics.track(`verification ${detail.name}`, { method: detail.method, step: detail.step, ms: detail.elapsedMs, id: detail.correlationId, value: detail.value });
});
// #endregion recipe
