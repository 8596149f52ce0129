import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, shot, startSystem, type RunningSystem } from './system.ts';

interface Session {
  accessToken: string;
  user: { id: string; name: string; role: string };
}

describe('CRM: artists, pipeline board, scoring', () => {
  let system: RunningSystem;
  let browser: Browser;
  let staffPage: Page;
  let admin: Session;
  const stamp = Date.now();
  const staff = { email: `staff-${stamp}@example.com`, name: 'Camille Staff', password: 'Studio-Bleu-Marseille-42' };
  const artistUser = { email: `artist-${stamp}@example.com`, name: 'Lina Moreau', password: 'Jardin-Sonore-Nantes-77' };
  const ids: Record<'lina' | 'theo' | 'nora', string> = { lina: '', theo: '', nora: '' };

  async function call<T>(method: string, path: string, body?: unknown, token = admin.accessToken): Promise<{ status: number; body: T }> {
    const response = await fetch(`${system.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.goto(`${system.webUrl}/login`);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    // Each role lands on its own home page; only leaving /login matters here.
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }

  before(async () => {
    system = await startSystem({ web: 3210, api: 3211, pg: 54441 });
    browser = await launchBrowser();
    const match = /email:\s+(\S+)\s+password:\s+(\S+)/.exec(system.output());
    assert.ok(match, 'first admin printed at start');
    const login = await fetch(`${system.apiUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: match[1], password: match[2] }),
    });
    assert.equal(login.status, 200);
    admin = (await login.json()) as Session;

    const createdStaff = await call('POST', '/api/users', { ...staff, role: 'staff' });
    assert.equal(createdStaff.status, 201, JSON.stringify(createdStaff.body));
    for (const [key, stageName] of [
      ['lina', 'Lina Moreau'],
      ['theo', 'Theo Vance'],
      ['nora', 'Nora Blue'],
    ] as const) {
      const created = await call<{ id: string }>('POST', '/api/artists', { stageName, genres: ['pop'], city: 'Lyon' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      ids[key] = created.body.id;
    }

    // An artist account, linked to Lina's record by the team.
    const register = await fetch(`${system.apiUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...artistUser, role: 'artist' }),
    });
    assert.equal(register.status, 201);
    const registered = (await register.json()) as Session;
    const link = await call('POST', `/api/artists/${ids.lina}/link-user`, { userId: registered.user.id });
    assert.equal(link.status, 200, JSON.stringify(link.body));

    staffPage = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1400, height: 1000 } });
    await signIn(staffPage, staff.email, staff.password);
  });

  after(async () => {
    await browser?.close();
    // Ctrl-C, as a person would: stops the API, the workers and the Next.js child together.
    if (system) await system.interrupt();
  });

  test('staff sees the CRM entries in the navigation and the artist list', async () => {
    const nav = staffPage.getByRole('navigation', { name: 'Navigation principale' });
    await nav.getByRole('link', { name: 'Artistes' }).click();
    await staffPage.waitForURL('**/artists');
    await staffPage.getByRole('heading', { name: 'Artistes', level: 1 }).waitFor();
    await staffPage.getByRole('link', { name: 'Nora Blue' }).waitFor();
    // A search narrows the list (debounced, then the API answers).
    await staffPage.getByRole('searchbox', { name: 'Recherche' }).fill('theo');
    await staffPage.getByRole('link', { name: 'Nora Blue' }).waitFor({ state: 'detached' });
    await staffPage.getByRole('link', { name: 'Theo Vance' }).waitFor();
    // Staff can pick any team member as assignee, not only themselves (GET /api/users/team).
    const assignee = staffPage.getByRole('combobox', { name: 'Responsable' });
    await assignee.locator('option', { hasText: admin.user.name }).waitFor({ state: 'attached' });
    assert.equal(await assignee.locator('option', { hasText: 'Moi' }).count(), 1);
    await staffPage.screenshot({ path: shot('crm-01-artists'), fullPage: true });
    assert.ok(nav.getByRole('link', { name: 'Pipeline' }));
  });

  test('staff moves an artist on the board with the keyboard and sees it in the stage history', async () => {
    await staffPage.goto(`${system.webUrl}/pipeline`);
    await staffPage.getByRole('heading', { name: 'Pipeline', level: 1 }).waitFor();
    const prospect = staffPage.locator('section[data-stage="prospect"]');
    const checkup = staffPage.locator('section[data-stage="checkup"]');
    await prospect.getByRole('link', { name: 'Lina Moreau' }).waitFor();

    // dnd-kit keyboard sensor: Space picks up, → moves one column, Space drops.
    const handle = staffPage.getByRole('button', { name: 'Glisser Lina Moreau' });
    await handle.focus();
    await staffPage.keyboard.press('Space');
    await staffPage.waitForTimeout(300);
    await staffPage.keyboard.press('ArrowRight');
    await staffPage.waitForTimeout(400);
    await staffPage.keyboard.press('Space');
    await staffPage.getByText('Lina Moreau est maintenant à l’étape Check-up.').waitFor();
    await checkup.getByRole('link', { name: 'Lina Moreau' }).waitFor();
    assert.equal(await prospect.getByRole('link', { name: 'Lina Moreau' }).count(), 0);
    await staffPage.screenshot({ path: shot('crm-02-board-moved'), fullPage: true });

    // And with the mouse: drag Nora's card onto the Check-up column.
    const noraHandle = staffPage.getByRole('button', { name: 'Glisser Nora Blue' });
    const from = await noraHandle.boundingBox();
    const to = await checkup.boundingBox();
    assert.ok(from && to);
    await staffPage.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await staffPage.mouse.down();
    await staffPage.mouse.move(from.x + 20, from.y + 10, { steps: 5 });
    await staffPage.mouse.move(to.x + to.width / 2, to.y + 80, { steps: 15 });
    await staffPage.mouse.up();
    await staffPage.getByText('Nora Blue est maintenant à l’étape Check-up.').waitFor();
    await checkup.getByRole('link', { name: 'Nora Blue' }).waitFor();

    // The stage history on the artist page: who, from, to.
    await staffPage.goto(`${system.webUrl}/artists/${ids.lina}?tab=pipeline`);
    const history = staffPage.getByRole('table', { name: 'Historique des étapes' });
    await history.waitFor();
    const latest = history.locator('tbody tr').first();
    const cells = await latest.locator('td').allInnerTexts();
    assert.equal(cells[1], staff.name);
    assert.equal(cells[2], 'Prospect');
    assert.equal(cells[3], 'Check-up');
    await staffPage.getByRole('tab', { name: 'Pipeline', selected: true }).waitFor();
    await staffPage.screenshot({ path: shot('crm-03-stage-history'), fullPage: true });
  });

  test('an illegal move shows the API’s refusal and the card goes back', async () => {
    await staffPage.goto(`${system.webUrl}/pipeline`);
    const prospect = staffPage.locator('section[data-stage="prospect"]');
    await prospect.getByRole('link', { name: 'Theo Vance' }).waitFor();
    // The "Move to…" menu, by keyboard: skipping stages is refused (409).
    const menuButton = staffPage.getByRole('button', { name: 'Déplacer Theo Vance vers…' });
    await menuButton.focus();
    await staffPage.keyboard.press('Enter');
    const menu = staffPage.getByRole('menu', { name: 'Déplacer Theo Vance vers…' });
    await menu.waitFor();
    await menu.getByRole('menuitem', { name: 'Exécution' }).click();
    const alert = staffPage.getByRole('alert').filter({ hasText: 'Déplacement refusé de Prospect vers Exécution' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /l’étape suivante est Check-up/);
    await prospect.getByRole('link', { name: 'Theo Vance' }).waitFor();
    assert.equal(await staffPage.locator('section[data-stage="execution"]').getByRole('link', { name: 'Theo Vance' }).count(), 0);
    await staffPage.screenshot({ path: shot('crm-04-refused'), fullPage: true });
  });

  test('staff rates an artist, the tier changes and shows', async () => {
    await staffPage.goto(`${system.webUrl}/artists/${ids.lina}?tab=score`);
    const tier = staffPage.locator('.artist-summary [data-tier]');
    await tier.waitFor();
    assert.equal(await tier.getAttribute('data-tier'), 'prospect');
    assert.match((await tier.textContent()) ?? '', /Prospect/);
    const form = staffPage.locator('form').filter({ has: staffPage.getByRole('button', { name: 'Enregistrer les notes' }) });
    await form.waitFor();
    for (const [name, value] of [
      ['Qualité artistique', '25'],
      ['Motivation et professionnalisme', '15'],
      ['Collaboration', '15'],
      ['Vision business', '15'],
      ['Personnalité média', '10'],
    ] as const) {
      await form.getByRole('spinbutton', { name: new RegExp(`^${name}`) }).fill(value);
    }
    await form.getByRole('checkbox', { name: 'Potentiel viral' }).check();
    await form.getByLabel('Motif (facultatif)').fill('Check-up terminé');
    await form.getByText('Après enregistrement : 85 / 120').waitFor();
    await form.getByRole('button', { name: 'Enregistrer les notes' }).click();
    await staffPage.getByRole('status').filter({ hasText: 'Le palier passe de Prospect à Premium' }).waitFor();
    await staffPage.locator('.artist-summary [data-tier="premium"]').getByText('Premium').waitFor();
    // The score history records the change with its reason.
    const history = staffPage.getByRole('table', { name: 'Historique du score' });
    await history.getByText('Check-up terminé').waitFor();
    await staffPage.screenshot({ path: shot('crm-05-rated'), fullPage: true });

    // Still Premium after a reload: it came from the API.
    await staffPage.reload();
    await staffPage.locator('.artist-summary [data-tier="premium"]').waitFor();
  });

  test('staff records a metric reading on the Metrics tab and sees it in the data table under the chart', async () => {
    await staffPage.goto(`${system.webUrl}/artists/${ids.nora}?tab=metrics`);
    await staffPage.getByText('Aucune mesure enregistrée.').waitFor();
    const chip = staffPage.locator('.artist-summary .score-chip');
    const scoreBefore = await chip.innerText();
    const form = staffPage.locator('form').filter({ has: staffPage.getByRole('button', { name: 'Enregistrer le relevé' }) });
    await form.getByLabel('Plateforme').selectOption('tiktok');
    // Captured at defaults to now.
    assert.match(await form.getByLabel('Date et heure du relevé').inputValue(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    await form.getByLabel('Abonnés', { exact: true }).fill('12 500');
    await form.getByLabel('Taux d’engagement (%)').fill('4,2');
    await form.getByLabel('Publications par semaine').fill('3,5');
    // Out of range: refused next to the field, which gets the focus.
    const growth = form.getByLabel('Croissance mensuelle (%)');
    await growth.fill('2000');
    await form.getByRole('button', { name: 'Enregistrer le relevé' }).click();
    await staffPage.waitForFunction(() => document.activeElement?.getAttribute('name') === 'monthlyGrowth');
    assert.equal(await growth.getAttribute('aria-invalid'), 'true');
    await form.getByText(/Saisissez un nombre entre -100 et 1\s?000\./).waitFor();

    await growth.fill('2,5');
    await form.getByRole('button', { name: 'Enregistrer le relevé' }).click();
    const saved = staffPage.getByRole('status').filter({ hasText: 'Relevé TikTok enregistré.' });
    await saved.waitFor();
    assert.equal(await growth.getAttribute('aria-invalid'), null);
    // The header follows the recomputed score.
    const total = /(\d+) \/ 120/.exec(await saved.innerText())?.[1];
    assert.ok(total, await saved.innerText());
    await chip.filter({ hasText: `Score ${total} / 120` }).waitFor();
    assert.notEqual(await chip.innerText(), scoreBefore, 'a first reading adds the computed parts of the score');

    // The charts reload; the data table under the followers chart holds the reading.
    await staffPage.getByText('Voir les données : Abonnés').click();
    const table = staffPage.getByRole('region', { name: 'Abonnés' }).getByRole('table');
    await table.getByRole('columnheader', { name: 'TikTok' }).waitFor();
    assert.match(await table.locator('tbody tr').first().locator('td').first().innerText(), /^12\s?500$/);
    await staffPage.getByText('Voir les données : Taux d’engagement').click();
    const engagement = staffPage.getByRole('region', { name: 'Taux d’engagement' }).getByRole('table');
    assert.match(await engagement.locator('tbody tr').first().locator('td').first().innerText(), /^4,2\s?%$/);
    await staffPage.screenshot({ path: shot('crm-05b-metric-reading'), fullPage: true });
  });

  test('a signed-in artist cannot open another artist’s page (404) but sees their own', async () => {
    const page = await browser.newPage({ locale: 'fr-FR' });
    await signIn(page, artistUser.email, artistUser.password);

    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/artists/${ids.theo}`) && r.request().method() === 'GET');
    await page.goto(`${system.webUrl}/artists/${ids.theo}`);
    assert.equal((await answer).status(), 404);
    await page.getByRole('heading', { name: 'Artiste introuvable' }).waitFor();
    assert.equal(await page.getByText('Theo Vance').count(), 0);
    await page.screenshot({ path: shot('crm-06-artist-forbidden'), fullPage: true });

    // Their own record opens, read-only, without the team-only pipeline tab.
    await page.goto(`${system.webUrl}/artists/${ids.lina}`);
    await page.getByRole('heading', { name: 'Lina Moreau', level: 1 }).waitFor();
    assert.equal(await page.getByRole('tab', { name: 'Pipeline' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Enregistrer le profil' }).count(), 0);
    // Nor the staff forms of the metrics and market-fit tabs.
    await page.getByRole('tab', { name: 'Métriques' }).click();
    await page.getByRole('heading', { name: 'Métriques par plateforme' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Enregistrer le relevé' }).count(), 0);
    await page.getByRole('tab', { name: 'Market fit' }).click();
    await page.getByRole('heading', { name: 'Market fit', level: 2 }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Enregistrer l’évaluation' }).count(), 0);

    // The team pages say so instead of failing.
    await page.goto(`${system.webUrl}/artists`);
    await page.getByRole('heading', { name: 'Accès refusé (403)' }).waitFor();
    await page.close();
  });
});
