import { expect, test, type Page } from '@playwright/test';
import { latestCode, otpInput, startCheckout, uniquePhone, watchPage } from './support.js';

/**
 * The built-in catalogues other than English are files of their own, loaded when an element first
 * needs one. These journeys run the demo checkout in each language as a shopper would see it, on
 * the page's strict policy: the right strings from the first render, no console error.
 */

/** Records which locale files the page fetched, and the OTP label on every `<otp-entry>` render. */
async function watchLocalization(page: Page, language: string): Promise<{ localeFiles: string[] }> {
  const localeFiles: string[] = [];
  page.on('request', (request) => {
    const file = /k360-verify\.locale-[\w-]+\.js/.exec(request.url())?.[0];
    if (file) localeFiles.push(file);
  });
  await page.addInitScript((lang) => {
    const labels: string[] = [];
    Object.assign(window, { otpLabels: labels });
    // Set before the bundle runs (module scripts run just before DOMContentLoaded).
    document.addEventListener('readystatechange', () => {
      if (document.readyState === 'interactive') document.documentElement.lang = lang;
    });
    void customElements.whenDefined('otp-entry').then(() => {
      const prototype = customElements.get('otp-entry')!.prototype as { updated(...args: unknown[]): void; shadowRoot: ShadowRoot };
      const updated = prototype.updated;
      prototype.updated = function (this: typeof prototype, ...args: unknown[]) {
        labels.push(this.shadowRoot.querySelector('label')?.textContent?.trim() ?? '');
        updated.apply(this, args);
      };
    });
  }, language);
  return { localeFiles };
}

const otpLabels = (page: Page) => page.evaluate(() => (window as unknown as { otpLabels: string[] }).otpLabels);

for (const { language, file, direction, label, verify } of [
  { language: 'es', file: 'es', direction: 'ltr', label: 'Código de verificación', verify: 'Verificar' },
  { language: 'fr', file: 'fr', direction: 'ltr', label: 'Code de vérification', verify: 'Vérifier' },
  { language: 'de', file: 'de', direction: 'ltr', label: 'Bestätigungscode', verify: 'Bestätigen' },
  { language: 'it', file: 'it', direction: 'ltr', label: 'Codice di verifica', verify: 'Verifica' },
  { language: 'pt-BR', file: 'pt-br', direction: 'ltr', label: 'Código de verificação', verify: 'Verificar' },
  { language: 'nl', file: 'nl', direction: 'ltr', label: 'Verificatiecode', verify: 'Bevestigen' },
  { language: 'pl', file: 'pl', direction: 'ltr', label: 'Kod weryfikacyjny', verify: 'Zweryfikuj' },
  { language: 'ja', file: 'ja', direction: 'ltr', label: '確認コード', verify: '確認' },
  { language: 'zh-CN', file: 'zh-cn', direction: 'ltr', label: '验证码', verify: '验证' },
  { language: 'ar', file: 'ar', direction: 'rtl', label: 'رمز التحقق', verify: 'تحقّق' },
  { language: 'he', file: 'he', direction: 'rtl', label: 'קוד אימות', verify: 'אימות' },
]) {
  test(`a checkout page in lang="${language}" shows the passcode step in that language from its first render`, async ({ page }) => {
    const watcher = await watchPage(page);
    const { localeFiles } = await watchLocalization(page, language);
    const phone = uniquePhone();
    await startCheckout(page, { email: 'otp@example.com', phone });

    const otp = page.locator('verification-flow otp-entry');
    await expect(otpInput(page)).toBeVisible();
    await expect(otp.locator('label')).toHaveText(label);
    await expect(otp.getByRole('button', { name: verify, exact: true })).toBeVisible();
    await expect(otp).toHaveAttribute('dir', direction);
    // The code itself reads left to right in every language.
    await expect(otpInput(page)).toHaveAttribute('dir', 'ltr');
    expect(new Set(await otpLabels(page))).toEqual(new Set([label]));
    expect(localeFiles).toEqual([`k360-verify.locale-${file}.js`]);

    const { code } = await latestCode(phone);
    await otpInput(page).fill(code);
    await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
    expect(watcher.problems).toEqual([]);
  });
}

test('an English checkout page downloads no locale file', async ({ page }) => {
  const watcher = await watchPage(page);
  const { localeFiles } = await watchLocalization(page, 'en');
  await startCheckout(page, { email: 'otp@example.com', phone: uniquePhone() });
  await expect(otpInput(page)).toBeVisible();
  await expect(page.locator('verification-flow otp-entry label')).toHaveText('Verification code');
  expect(localeFiles).toEqual([]);
  expect(watcher.problems).toEqual([]);
});
