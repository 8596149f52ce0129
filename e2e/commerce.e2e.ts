import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, shot, startSystem, type RunningSystem } from './system.ts';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Session {
  accessToken: string;
  user: { id: string; name: string; role: string };
}

describe('Commerce: orders, artist portal, marketplace missions', () => {
  let system: RunningSystem;
  let browser: Browser;
  let admin: Session;
  const stamp = Date.now();
  const password = 'Atelier-Commerce-Bordeaux-61';
  const staff = { email: `staff-c-${stamp}@example.com`, name: 'Sacha Staff' };
  const expertA = { email: `expert-a-${stamp}@example.com`, name: 'Élise Expert' };
  const expertB = { email: `expert-b-${stamp}@example.com`, name: 'Bruno Expert' };
  const artistUser = { email: `artist-c-${stamp}@example.com`, name: 'Maya Rivers' };
  const ids = { maya: '', other: '', expertA: '', offer290: '', block: '', order: '', otherOrder: '', mission: '' };

  async function call<T>(method: string, path: string, body?: unknown, token = admin.accessToken): Promise<{ status: number; body: T }> {
    const response = await fetch(`${system.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function login(email: string): Promise<Session> {
    const response = await fetch(`${system.apiUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as Session;
  }

  /** Signs in through the login page; each role lands on its own home. */
  async function signIn(email: string, landing: string): Promise<Page> {
    const page = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1400, height: 1000 } });
    await page.goto(`${system.webUrl}/login`);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`**${landing}`);
    return page;
  }

  before(async () => {
    system = await startSystem({ web: 3220, api: 3221, pg: 54451 });
    browser = await launchBrowser();
    const match = /email:\s+(\S+)\s+password:\s+(\S+)/.exec(system.output());
    assert.ok(match, 'first admin printed at start');
    const adminLogin = await fetch(`${system.apiUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: match[1], password: match[2] }),
    });
    assert.equal(adminLogin.status, 200);
    admin = (await adminLogin.json()) as Session;

    for (const [account, role] of [
      [staff, 'staff'],
      [expertA, 'expert'],
      [expertB, 'expert'],
    ] as const) {
      const created = await call<{ user: { id: string } }>('POST', '/api/users', { ...account, role, password });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      if (account === expertA) ids.expertA = created.body.user.id;
    }

    for (const [key, stageName] of [
      ['maya', 'Maya Rivers'],
      ['other', 'Oscar Lune'],
    ] as const) {
      const created = await call<{ id: string }>('POST', '/api/artists', { stageName, genres: ['soul'], city: 'Bordeaux' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      ids[key] = created.body.id;
    }

    // The artist account, linked to Maya's record by the team.
    const register = await fetch(`${system.apiUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...artistUser, password, role: 'artist' }),
    });
    assert.equal(register.status, 201);
    const registered = (await register.json()) as Session;
    const link = await call('POST', `/api/artists/${ids.maya}/link-user`, { userId: registered.user.id });
    assert.equal(link.status, 200, JSON.stringify(link.body));

    // Staff ratings give Maya a score and a first scoring event (the portal's chart).
    const rated = await call('PUT', `/api/artists/${ids.maya}/ratings`, {
      artisticQuality: 20,
      motivation: 12,
      collaboration: 12,
      businessVision: 10,
      mediaPersonality: 8,
      viralPotential: true,
      versatility: false,
      diversity: false,
      reason: 'Check-up terminé',
    });
    assert.equal(rated.status, 200, JSON.stringify(rated.body));

    const offers = await call<{ items: { id: string; code: string }[] }>('GET', '/api/offers');
    ids.offer290 = offers.body.items.find((o) => o.code === 'mona-290')!.id;
    const blocks = await call<{ items: { id: string; name: string }[] }>('GET', '/api/marketplace/blocks');
    assert.equal(blocks.body.items.length, 10);
    ids.block = blocks.body.items[0]!.id;

    // Another artist's order, which Maya must never see.
    const other = await call<{ id: string }>('POST', '/api/orders', { artistId: ids.other, offerId: ids.offer290 });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    ids.otherOrder = other.body.id;
  });

  after(async () => {
    await browser?.close();
    if (system) await system.interrupt();
  });

  test('staff creates an order for an artist and marks it paid; the status and history show it', async () => {
    const page = await signIn(staff.email, '/status');
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Commandes' }).click();
    await page.waitForURL('**/orders');
    await page.getByRole('heading', { name: 'Commandes', level: 1 }).waitFor();
    await page
      .getByRole('link', { name: /MONA 290/ })
      .first()
      .waitFor();

    await page.getByRole('button', { name: 'Nouvelle commande' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Nouvelle commande' });
    // The artist picker is a combobox: type, then pick with the keyboard.
    const picker = dialog.getByRole('combobox', { name: 'Artiste' });
    await picker.fill('Maya');
    await dialog.getByRole('option', { name: /Maya Rivers/ }).waitFor();
    await picker.press('ArrowDown');
    await picker.press('ArrowUp');
    await picker.press('Enter');
    await dialog.getByText('Artiste choisi : Maya Rivers').waitFor();
    await dialog.getByLabel('Offre').selectOption(ids.offer290);
    await dialog.getByLabel('Note (facultative)').fill('Virement attendu');
    await page.screenshot({ path: shot('commerce-01-new-order'), fullPage: true });
    await dialog.getByRole('button', { name: 'Créer la commande' }).click();

    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    ids.order = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: /MONA 290 — Maya Rivers/, level: 1 }).waitFor();
    const summary = page.locator('.artist-summary');
    await summary.getByText('En attente').waitFor();
    // Only the legal next statuses are offered.
    assert.equal(await page.getByRole('button', { name: 'Marquer réalisée' }).count(), 0);
    await page.getByRole('button', { name: 'Marquer payée' }).click();
    await page.getByText('Statut enregistré : Payée.').waitFor();
    await summary.getByText('Payée').waitFor();
    const history = page.getByRole('list', { name: 'Historique des statuts' });
    await history.getByText('Payée').waitFor();
    await history.getByText(`par ${staff.name}`).first().waitFor();
    await page.getByRole('button', { name: 'Rembourser' }).waitFor();
    await page.screenshot({ path: shot('commerce-02-order-paid'), fullPage: true });

    const stored = await call<{ status: string; history: unknown[] }>('GET', `/api/orders/${ids.order}`);
    assert.equal(stored.body.status, 'paid');
    assert.equal(stored.body.history.length, 2);

    // A change made elsewhere meanwhile: the 409 reason is shown and the page catches up.
    await page.goto(`${system.webUrl}/orders/${ids.otherOrder}`);
    await page.getByRole('button', { name: 'Marquer payée' }).waitFor();
    assert.equal((await call('POST', `/api/orders/${ids.otherOrder}/status`, { to: 'cancelled' })).status, 200);
    await page.getByRole('button', { name: 'Marquer payée' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Changement refusé' });
    await refused.getByText('Impossible de passer de « Annulée » à « Payée ».').waitFor();
    await page.locator('.artist-summary').getByText('Annulée').waitFor();
    await page.screenshot({ path: shot('commerce-03-order-conflict'), fullPage: true });
    await page.close();
  });

  test('the linked artist lands on their portal and sees the order as paid and their score, nothing of others', async () => {
    const page = await signIn(artistUser.email, '/portal');
    await page.getByRole('heading', { name: 'Maya Rivers', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Offres et commandes' }).click();
    const orders = page.getByRole('table', { name: 'Mes commandes' });
    const row = orders.getByRole('row', { name: /MONA 290/ });
    await row.getByText('Payée').waitFor();
    assert.equal(await page.getByText('Oscar Lune').count(), 0);
    await page.screenshot({ path: shot('commerce-04-portal-orders'), fullPage: true });

    await page.getByRole('tab', { name: 'Score' }).click();
    await page.getByRole('heading', { name: 'Mon score MONA' }).waitFor();
    await page
      .getByRole('table', { name: /Détail du score/ })
      .getByText('Qualité artistique')
      .waitFor();
    await page.locator('.score-total').getByText('67 / 120').waitFor();
    await page.locator('.score-total').getByText('Co-prod').waitFor();
    await page.locator('.chart svg').first().waitFor();
    await page.getByText('Voir les données du graphique').click();
    await page.getByRole('table', { name: 'Évolution du score' }).getByText('Check-up terminé').waitFor();
    await page.screenshot({ path: shot('commerce-05-portal-score'), fullPage: true });

    // Their own order opens read-only; another artist's order is "not found", in the page and in the API.
    await page.goto(`${system.webUrl}/orders/${ids.order}`);
    await page.locator('.artist-summary').getByText('Payée').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Rembourser' }).count(), 0);
    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/orders/${ids.otherOrder}`));
    await page.goto(`${system.webUrl}/orders/${ids.otherOrder}`);
    assert.equal((await answer).status(), 404);
    await page.getByRole('heading', { name: 'Commande introuvable' }).waitFor();
    await page.close();
  });

  test('an assigned expert starts, adds a deliverable and delivers; another expert does not see the mission', async () => {
    const staffSession = await login(staff.email);
    const requested = await call<{ id: string; blockName: string }>(
      'POST',
      '/api/marketplace/requests',
      { artistId: ids.maya, blockId: ids.block, format: 'one_shot', brief: 'Positionnement du prochain EP' },
      staffSession.accessToken,
    );
    assert.equal(requested.status, 201, JSON.stringify(requested.body));
    ids.mission = requested.body.id;
    const assigned = await call('POST', `/api/marketplace/missions/${ids.mission}/assign`, { expertId: ids.expertA }, staffSession.accessToken);
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));

    const page = await signIn(expertA.email, '/missions');
    await page.getByRole('heading', { name: 'Mes missions', level: 1 }).waitFor();
    await page.getByRole('link', { name: new RegExp(escapeRegExp(requested.body.blockName)) }).click();
    await page.waitForURL(`**/marketplace/missions/${ids.mission}`);
    const summary = page.locator('.artist-summary');
    await summary.getByText('Assignée').waitFor();
    await page.getByRole('button', { name: 'Commencer la mission' }).click();
    await summary.getByText('En cours').waitFor();

    await page.getByLabel('Titre').fill('Note de positionnement');
    await page.getByLabel('Lien (facultatif)').fill('https://example.com/positionnement.pdf');
    await page.getByRole('button', { name: 'Ajouter le livrable' }).click();
    await page.getByText('Livrable « Note de positionnement » ajouté.').waitFor();
    await page.getByRole('link', { name: 'Note de positionnement' }).waitFor();
    await page.getByRole('button', { name: 'Livrer la mission' }).click();
    await summary.getByText('Livrée').waitFor();
    await page.getByRole('list', { name: 'Historique des statuts' }).getByText('Livrée').waitFor();
    await page.screenshot({ path: shot('commerce-06-mission-delivered'), fullPage: true });

    // The commission statement of the month counts the delivery.
    await page.goto(`${system.webUrl}/missions`);
    await page.getByRole('heading', { name: 'Relevé de commissions' }).waitFor();
    const stats = page.locator('.stat-grid');
    await stats.getByText('Missions livrées').waitFor();
    await page.getByRole('region', { name: 'Missions du relevé' }).getByText(requested.body.blockName).waitFor();
    await page.screenshot({ path: shot('commerce-07-commission'), fullPage: true });
    await page.close();

    const other = await signIn(expertB.email, '/missions');
    await other.getByText('Aucune mission ne vous est assignée pour le moment.').waitFor();
    assert.equal(await other.getByRole('link', { name: new RegExp(escapeRegExp(requested.body.blockName)) }).count(), 0);
    await other.goto(`${system.webUrl}/marketplace/missions/${ids.mission}`);
    await other.getByRole('heading', { name: 'Mission introuvable' }).waitFor();
    await other.close();
  });

  test('the artist accepts the delivered mission from their portal', async () => {
    const page = await signIn(artistUser.email, '/portal');
    await page.getByRole('tab', { name: 'Marketplace' }).click();
    await page.getByRole('table', { name: 'Missions, les plus récentes d’abord' }).getByText('Livrée').waitFor();
    await page.goto(`${system.webUrl}/marketplace/missions/${ids.mission}`);
    await page.getByRole('button', { name: 'Accepter la livraison' }).click();
    await page.locator('.artist-summary').getByText('Acceptée').waitFor();
    await page.screenshot({ path: shot('commerce-08-mission-accepted'), fullPage: true });
    await page.close();
  });
});
