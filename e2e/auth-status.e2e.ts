import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, shot, startSystem, type RunningSystem } from './system.ts';

describe('a new user, as npm start runs the system', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  const email = `e2e-${Date.now()}@example.com`;
  const password = 'Atelier-Nocturne-Lyon-88';

  before(async () => {
    system = await startSystem({ web: 3200, api: 3201, pg: 54431 });
    browser = await launchBrowser();
    page = await browser.newPage({ locale: 'fr-FR' });
  });

  after(async () => {
    await browser?.close();
    system?.kill();
  });

  test('the API answers on its port and the web app on its own', async () => {
    const health = await fetch(`${system.apiUrl}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { service: string }).service, 'api');
    const web = await fetch(`${system.webUrl}/healthz`);
    assert.equal(web.status, 200);
  });

  test('signs up as an artist, in French by default, and lands on their portal', async () => {
    await page.goto(`${system.webUrl}/signup`);
    await page.getByRole('heading', { name: 'Créer un compte' }).waitFor();
    await page.getByLabel('Nom').fill('Nina Sol');
    await page.getByLabel('Adresse e-mail').fill(email);
    // A weak password is refused by the API, and the message sits next to the field.
    await page.getByLabel('Mot de passe').fill('password123');
    await page.getByRole('radio', { name: /artiste/i }).check();
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    const passwordField = page.getByLabel('Mot de passe');
    await page.waitForFunction(() => document.querySelector('input[type="password"]')?.getAttribute('aria-invalid') === 'true');
    assert.equal(await passwordField.getAttribute('aria-invalid'), 'true');
    // The API's reason, in the reader's language, tied to the field for screen readers.
    const describedBy = await passwordField.getAttribute('aria-describedby');
    assert.ok(describedBy);
    const description = await page.evaluate(
      (ids) =>
        ids
          .split(' ')
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' '),
      describedBy,
    );
    assert.match(description, /trop courant/);
    await page.screenshot({ path: shot('01-signup-error'), fullPage: true });

    await passwordField.fill(password);
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    // Like after sign-in, an artist lands on their portal: signing up opened their artist record, in their name.
    await page.waitForURL('**/portal');
    await page.getByRole('heading', { name: 'Nina Sol', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Profil' }).waitFor();
    await page.screenshot({ path: shot('02-portal'), fullPage: true });

    // The status page stays open to them.
    await page.goto(`${system.webUrl}/status`);
    await page.getByRole('heading', { name: 'État du système' }).waitFor();
    await page.getByText('database', { exact: false }).first().waitFor();
    await page.screenshot({ path: shot('02-status'), fullPage: true });
  });

  test('the refresh token is an httpOnly cookie, not readable by scripts', async () => {
    const cookies = await page.context().cookies();
    const refresh = cookies.find((c) => c.name === 'mona_refresh');
    assert.ok(refresh, 'refresh cookie set');
    assert.equal(refresh.httpOnly, true);
    assert.equal(await page.evaluate(() => document.cookie.includes('mona_refresh')), false);
    assert.equal(await page.evaluate(() => JSON.stringify(localStorage).includes('.')), false);
  });

  test('a reload keeps the session (silent refresh)', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'État du système' }).waitFor();
    assert.ok(page.url().endsWith('/status'));
  });

  test('switches to English', async () => {
    await page.getByRole('button', { name: /^EN$/ }).click();
    await page.getByRole('heading', { name: 'System status' }).waitFor();
    await page.screenshot({ path: shot('03-status-en'), fullPage: true });
  });

  test('signs out, then back in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login**');
    await page.screenshot({ path: shot('04-signed-out'), fullPage: true });
    await page.goto(`${system.webUrl}/status`);
    await page.waitForURL('**/login**');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/status');
    await page.getByRole('heading', { name: 'System status' }).waitFor();
  });

  test('the first admin printed at start signs in and sees the users page', async () => {
    const match = /email:\s+(\S+)\s+password:\s+(\S+)/.exec(system.output());
    assert.ok(match, 'first admin printed once');
    const admin = await browser.newPage();
    await admin.goto(`${system.webUrl}/login`);
    await admin.getByLabel('Adresse e-mail').fill(match[1]!);
    await admin.getByLabel('Mot de passe').fill(match[2]!);
    await admin.getByRole('button', { name: 'Se connecter' }).click();
    await admin.waitForURL('**/status');
    await admin.goto(`${system.webUrl}/users`);
    await admin.getByText(email).waitFor();
    await admin.screenshot({ path: shot('05-admin-users'), fullPage: true });
    await admin.close();
  });

  test('Ctrl-C stops everything cleanly within 10 s', async () => {
    const { code, ms } = await system.interrupt();
    assert.equal(code, 0, system.output().slice(-2000));
    assert.ok(ms < 10_000, `stopped in ${ms} ms`);
  });
});
