import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, shot, startSystem, type RunningSystem } from './system.ts';

interface Session {
  accessToken: string;
  user: { id: string; name: string; role: string };
}

/**
 * Notifications in the browser: an in-app message appears live in the
 * artist's bell and inbox (no reload) and reading it updates the count; staff
 * find a message in the log by search; staff change a sequence step's delay
 * and pause and resume the sequence; an email sent from the artist page lands
 * in the local outbox (no SMTP server in `npm start`) and reads there.
 */
describe('notifications: live inbox, message log, sequences, outbox', () => {
  let system: RunningSystem;
  let browser: Browser;
  let admin: Session;
  let staffPage: Page;
  let artistPage: Page;
  let artistId = '';
  const stamp = Date.now();
  const password = 'Cloche-Verte-Annecy-29';
  const staff = { email: `notif-staff-${stamp}@example.com`, name: 'Nadia Relance' };
  const artistUser = { email: `notif-artist-${stamp}@example.com`, name: 'Lina Écho' };
  const inappSubject = `Votre dossier avance ${stamp}`;
  const emailSubject = `Votre bilan est prêt ${stamp}`;
  // Quiet hours that start 6 hours from now in Toronto: the messages sent by the next tests go out at once, whatever the time of the run.
  const torontoHour = Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'America/Toronto' }).format(new Date()));
  const hh = (h: number) => String(h % 24).padStart(2, '0');
  const quiet = { start: `${hh(torontoHour + 6)}:00`, end: `${hh(torontoHour + 8)}:30` };

  async function call<T>(method: string, path: string, body?: unknown, token = admin.accessToken): Promise<{ status: number; body: T }> {
    const response = await fetch(`${system.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async function login(email: string, secret: string): Promise<Session> {
    const response = await fetch(`${system.apiUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: secret }),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as Session;
  }

  async function signIn(email: string): Promise<Page> {
    const page = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1400, height: 1000 } });
    await page.goto(`${system.webUrl}/login`);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    return page;
  }

  before(async () => {
    system = await startSystem({ web: 3280, api: 3281, pg: 54511 });
    browser = await launchBrowser();
    const match = /email:\s+(\S+)\s+password:\s+(\S+)/.exec(system.output());
    assert.ok(match, 'first admin printed at start');
    admin = await login(match[1]!, match[2]!);

    const createdStaff = await call('POST', '/api/users', { ...staff, role: 'staff', password });
    assert.equal(createdStaff.status, 201, JSON.stringify(createdStaff.body));

    // The artist's record, then their account with the same email: sign-up links the two (in-app messages need an account).
    const artist = await call<{ id: string }>('POST', '/api/artists', { stageName: 'Lina Écho', genres: ['pop'], city: 'Annecy', email: artistUser.email });
    assert.equal(artist.status, 201, JSON.stringify(artist.body));
    artistId = artist.body.id;
    const register = await fetch(`${system.apiUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...artistUser, password, role: 'artist' }),
    });
    assert.equal(register.status, 201);
    const registered = (await register.json()) as Session;
    const record = await call<{ userId: string | null }>('GET', `/api/artists/${artistId}`);
    if (record.body.userId === null) {
      const link = await call('POST', `/api/artists/${artistId}/link-user`, { userId: registered.user.id });
      assert.equal(link.status, 200, JSON.stringify(link.body));
    } else {
      assert.equal(record.body.userId, registered.user.id);
    }

    // Two activity templates (no consent needed, sent as soon as due).
    for (const [code, channel, subject, body] of [
      ['e2e.dossier.inapp', 'inapp', inappSubject, 'Bonjour {{name}}, l’équipe a relu votre dossier.'],
      ['e2e.bilan.email', 'email', emailSubject, 'Bonjour {{name}},\n\nVotre **bilan MONA** est prêt : ouvrez votre espace pour le lire.'],
    ] as const) {
      const created = await call('POST', '/api/notification-templates', {
        code,
        channel,
        kind: 'activity',
        name: `E2E ${code}`,
        contents: { fr: { subject, body }, en: { subject, body } },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }

    artistPage = await signIn(artistUser.email);
    staffPage = await signIn(staff.email);
  });

  after(async () => {
    await browser?.close();
    if (system) await system.interrupt();
  });

  test('an in-app message appears live in the bell and the inbox, and reading it updates the count', async () => {
    const page = artistPage;
    const bell = page.getByRole('banner').getByRole('link', { name: /^Notifications :/ });
    await bell.waitFor();
    assert.equal(await bell.getAttribute('aria-label'), 'Notifications : aucune non lue');
    await bell.click();
    await page.waitForURL('**/inbox');
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await page.getByText('Mises à jour en direct').waitFor();
    // A marker that a reload would wipe out.
    await page.evaluate(() => {
      (window as unknown as { liveMarker: string }).liveMarker = 'still here';
    });

    const sent = await call<{ status: string; channel: string }>(
      'POST',
      `/api/artists/${artistId}/messages`,
      { templateCode: 'e2e.dossier.inapp', link: '/portal' },
      (await login(staff.email, password)).accessToken,
    );
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.equal(sent.body.channel, 'inapp');

    await page.getByRole('banner').getByRole('link', { name: 'Notifications : 1 non lue' }).waitFor({ timeout: 30_000 });
    const item = page.locator('li.inbox-item--unread', { hasText: inappSubject });
    await item.waitFor();
    assert.match(await item.innerText(), /Bonjour Lina Écho, l’équipe a relu votre dossier\./);
    // Unread items are bold and say so to screen readers.
    assert.equal(await item.locator('.inbox-item__title').evaluate((el) => getComputedStyle(el).fontWeight), '750');
    assert.equal(await item.getByRole('link', { name: `Non lu : ${inappSubject}` }).getAttribute('href'), '/portal');
    await page.getByText(`Nouvelle notification : ${inappSubject}`).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { liveMarker?: string }).liveMarker), 'still here');
    await page.screenshot({ path: shot('notifications-01-inbox-live'), fullPage: true });

    await item.getByRole('button', { name: `Marquer comme lu : ${inappSubject}` }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Notifications : aucune non lue' }).waitFor();
    await page.locator('li.inbox-item:not(.inbox-item--unread)', { hasText: inappSubject }).waitFor();
    const count = await call<{ unread: number }>('GET', '/api/me/inbox/unread-count', undefined, (await login(artistUser.email, password)).accessToken);
    assert.equal(count.body.unread, 0);
    await page.screenshot({ path: shot('notifications-02-inbox-read'), fullPage: true });
  });

  test('the artist sets preferences: a channel switch, quiet hours with a time zone; errors sit next to their field', async () => {
    const page = artistPage;
    await page.getByRole('link', { name: 'Choisir ce que je reçois' }).click();
    await page.waitForURL('**/settings/notifications');
    await page.getByRole('heading', { name: 'Préférences de notification', level: 1 }).waitFor();
    const transactional = page.getByRole('checkbox', { name: 'Transactionnel par E-mail' });
    assert.equal(await transactional.isChecked(), true);
    assert.equal(await transactional.isDisabled(), true);
    const smsMarketing = page.getByRole('checkbox', { name: 'Marketing par SMS' });
    assert.equal(await smsMarketing.isChecked(), true);
    await smsMarketing.uncheck();
    await page.getByRole('checkbox', { name: 'Ne rien m’envoyer pendant des heures calmes' }).check();
    const start = page.getByRole('textbox', { name: 'Début' });
    await start.fill('25:00');
    await page.getByRole('textbox', { name: 'Fin' }).fill(quiet.end);
    await page.getByRole('combobox', { name: 'Fuseau horaire' }).selectOption('America/Toronto');
    await page.getByRole('button', { name: 'Enregistrer mes préférences' }).click();
    await page.getByText('Saisissez une heure au format HH:MM, entre 00:00 et 23:59.').waitFor();
    assert.equal(await start.evaluate((el) => el === document.activeElement), true, 'focus on the field in error');
    assert.equal(await start.getAttribute('aria-invalid'), 'true');
    await start.fill(quiet.start);
    await page.getByRole('button', { name: 'Enregistrer mes préférences' }).click();
    await page.getByText('Vos préférences sont enregistrées.').waitFor();
    // Push: the state of this browser is shown (turning it on needs a real push service).
    await page.locator('[data-push-state]:not([data-push-state="checking"])').waitFor();
    await page.screenshot({ path: shot('notifications-03-preferences'), fullPage: true });

    await page.reload();
    await page.getByRole('heading', { name: 'Préférences de notification', level: 1 }).waitFor();
    await page.getByRole('checkbox', { name: 'Marketing par SMS' }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: 'Marketing par SMS' }).isChecked(), false);
    assert.equal(await page.getByRole('textbox', { name: 'Début' }).inputValue(), quiet.start);
    assert.equal(await page.getByRole('textbox', { name: 'Fin' }).inputValue(), quiet.end);
    assert.equal(await page.getByRole('combobox', { name: 'Fuseau horaire' }).inputValue(), 'America/Toronto');
    const stored = await call<{ quietHours: { start: string; end: string } | null; timeZone: string; channels: { sms: { marketing: boolean } } }>(
      'GET',
      '/api/me/notification-preferences',
      undefined,
      (await login(artistUser.email, password)).accessToken,
    );
    assert.deepEqual(stored.body.quietHours, quiet);
    assert.equal(stored.body.timeZone, 'America/Toronto');
    assert.equal(stored.body.channels.sms.marketing, false);
  });

  test('staff find the message in the log by search and open its status history', async () => {
    const page = staffPage;
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Messages' }).click();
    await page.waitForURL('**/messages');
    await page.getByRole('heading', { name: 'Messages', level: 1 }).waitFor();
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill(inappSubject);
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await page.waitForURL(/[?&]q=/);
    // Only the matching message once the search has answered.
    await page.waitForFunction(() => document.querySelector('table[aria-busy="false"]') !== null && document.querySelectorAll('tbody tr').length === 1);
    const row = page.locator('tbody tr', { hasText: inappSubject });
    await row.waitFor();
    assert.match(await row.innerText(), /Dans l’application/);
    assert.match(await row.innerText(), /Remis|Envoyé/);
    await page.screenshot({ path: shot('notifications-04-log-search'), fullPage: true });

    await row.getByRole('link', { name: inappSubject }).click();
    await page.getByRole('heading', { name: inappSubject, level: 1 }).waitFor();
    const history = page.getByRole('list', { name: 'Historique des statuts, du plus ancien au plus récent' });
    await history.waitFor();
    const steps = await history.locator('li').allInnerTexts();
    assert.ok(steps.length >= 2, `a status history: ${steps.join(' | ')}`);
    assert.match(steps[0]!, /En attente/);
    assert.match(await page.locator('.message-text').first().innerText(), /l’équipe a relu votre dossier/);
    await page.screenshot({ path: shot('notifications-05-message'), fullPage: true });
  });

  test('staff change a step delay of the welcome sequence, then pause and resume it', async () => {
    const page = staffPage;
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Séquences' }).click();
    await page.waitForURL('**/sequences');
    const row = page.locator('tbody tr', { hasText: 'Welcome prospect (7 days)' });
    await row.waitFor();
    assert.match(await row.innerText(), /Inscription/);
    assert.match(await row.innerText(), /Active/);
    await page.screenshot({ path: shot('notifications-06-sequences'), fullPage: true });
    await row.getByRole('link', { name: 'Welcome prospect (7 days)' }).click();
    await page.getByRole('heading', { name: 'Welcome prospect (7 days)', level: 1 }).waitFor();

    const steps = page.getByRole('list', { name: 'Étapes de la séquence, dans l’ordre' });
    await steps.waitFor();
    const last = steps.locator('li[data-step="5"]');
    assert.match(await last.locator('legend').innerText(), /Étape 6 · J7/);
    const days = last.getByRole('spinbutton', { name: 'Délai : jours' });
    await days.fill('8');
    await page.getByText('Modifications non enregistrées.').waitFor();
    await page.getByRole('button', { name: 'Enregistrer les étapes' }).click();
    await page.getByText('Étapes enregistrées.').waitFor();
    assert.match(await last.locator('legend').innerText(), /Étape 6 · J8/);

    // A delay before the previous step's is refused next to the field, with focus on it.
    const fifth = steps.locator('li[data-step="4"]');
    await fifth.getByRole('spinbutton', { name: 'Délai : jours' }).fill('9');
    await page.getByRole('button', { name: 'Enregistrer les étapes' }).click();
    await last.getByText('Cette étape ne peut pas venir avant la précédente : augmentez son délai.').waitFor();
    assert.equal(await last.getByRole('spinbutton', { name: 'Délai : jours' }).evaluate((el) => el === document.activeElement), true);
    await fifth.getByRole('spinbutton', { name: 'Délai : jours' }).fill('6');

    await page.reload();
    await page.getByRole('heading', { name: 'Welcome prospect (7 days)', level: 1 }).waitFor();
    await page.locator('li[data-step="5"] legend', { hasText: 'Étape 6 · J8' }).waitFor();
    const sequences = await call<{ items: { id: string; code: string | null; steps: { delayMinutes: number }[] }[] }>('GET', '/api/sequences');
    const welcome = sequences.body.items.find((s) => s.code === 'welcome')!;
    assert.equal(welcome.steps[5]!.delayMinutes, 8 * 1440);
    await page.screenshot({ path: shot('notifications-07-sequence-steps'), fullPage: true });

    const header = page.locator('.page-header');
    await page.getByRole('button', { name: 'Mettre en pause' }).click();
    await header.getByText('En pause', { exact: true }).waitFor();
    await page.getByText(/En pause depuis/).waitFor();
    await page.getByRole('button', { name: 'Reprendre' }).click();
    await header.getByText('Active', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Mettre en pause' }).waitFor();
    const stored = await call<{ status: string }>('GET', `/api/sequences/${welcome.id}`);
    assert.equal(stored.body.status, 'active');

    await page.getByRole('tab', { name: 'Statistiques' }).click();
    await page.getByText('Inscriptions par issue').first().waitFor();
    await page.screenshot({ path: shot('notifications-08-sequence-stats'), fullPage: true });
  });

  test('an email sent from the artist page is kept in the local outbox and reads there', async () => {
    const page = staffPage;
    await page.goto(`${system.webUrl}/artists/${artistId}?tab=messages`);
    await page.getByRole('tab', { name: 'Messages' }).waitFor();
    const send = page.getByRole('combobox', { name: 'Modèle' });
    await send.selectOption({ label: 'E2E e2e.bilan.email · E-mail · Activité' });
    await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await page.getByText(/Message créé \(E-mail\)/).waitFor();
    await page.screenshot({ path: shot('notifications-09-artist-send'), fullPage: true });

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Boîte d’envoi' }).click();
    await page.waitForURL('**/outbox');
    const row = page.locator('tbody tr', { hasText: emailSubject });
    // The dispatcher sends within a few seconds: look again until it is there.
    const deadline = Date.now() + 30_000;
    while ((await row.count()) === 0) {
      assert.ok(Date.now() < deadline, 'the email reached the outbox');
      await page.waitForTimeout(1_000);
      await page.reload();
      await page.getByRole('heading', { name: 'Boîte d’envoi', level: 1 }).waitFor();
      await page.locator('table, .empty-state').first().waitFor();
    }
    assert.match(await row.innerText(), new RegExp(artistUser.email));
    await page.screenshot({ path: shot('notifications-10-outbox'), fullPage: true });

    await row.getByRole('link', { name: emailSubject }).click();
    await page.getByRole('heading', { name: emailSubject, level: 1 }).waitFor();
    const text = page.locator('.message-text').first();
    await text.waitFor();
    assert.match(await text.innerText(), /Votre bilan MONA est prêt/);
    const frame = page.locator('iframe.email-frame');
    assert.equal(await frame.getAttribute('sandbox'), '');
    await page.frameLocator('iframe.email-frame').getByText('bilan MONA').first().waitFor();
    await page.getByText('Source complète (RFC 5322)').click();
    assert.match(await page.locator('.outbox-source pre').innerText(), new RegExp(`Subject: .*${stamp}|Subject: =\\?UTF-8`));
    await page.screenshot({ path: shot('notifications-11-outbox-email'), fullPage: true });
  });
});
