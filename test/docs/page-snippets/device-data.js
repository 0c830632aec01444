// The shop's page script on the form page test/docs/page-snippets.test.ts serves: the page's import map names
// k360-verify/device-data (dist/cdn) and Kount's SDK (a stand-in the test serves, as a shop serves the real one).
const form = document.querySelector('form');
// #region recipe device-data
import { collectDeviceData } from 'k360-verify/device-data';
const { sessionId, done } = collectDeviceData({ clientId: 'your Kount client id', environment: 'TEST' }); // or 'PROD'
form.addEventListener('submit', () => { form.elements.deviceSessionId.value = sessionId; }); // the backend passes it to Kount
// #endregion recipe
window.deviceData = { sessionId, done };
