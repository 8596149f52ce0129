import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, shot, startSystem, type RunningSystem } from './system.ts';

interface Session {
  accessToken: string;
  user: { id: string; name: string; role: string };
}

/**
 * SPARK villas for the team: a villa created and opened in the UI, a premium
 * artist applying, two jurors scoring it, and acceptances up to capacity with
 * the next one refused with its reason.
 */
describe('SPARK villas: open call, jury, acceptances until full', () => {
  let system: RunningSystem;
  let browser: Browser;
  let juror1: Page;
  let juror2: Page;
  let admin: Session;
  let villaId = '';
  const stamp = Date.now();
  const staff1 = { email: `juror1-${stamp}@example.com`, name: 'Camille Jury', password: 'Studio-Bleu-Marseille-42' };
  const staff2 = { email: `juror2-${stamp}@example.com`, name: 'Hugo Jury', password: 'Phare-Rouge-Brest-58' };
  const artistUser = { email: `artist-${stamp}@example.com`, name: 'Lina Moreau', password: 'Jardin-Sonore-Nantes-77' };
  const genres = ['pop', 'rap', 'jazz', 'soul', 'rock', 'folk', 'electro', 'reggae', 'funk'];
  const names = ['Lina Moreau', 'Theo Vance', 'Nora Blue', 'Sami Kade', 'Iris Vale', 'Malo Rin', 'Jade Orso', 'Yann Sol', 'Zoé Lumen'];
  const applicationIds: string[] = [];

  async function call<T>(method: string, path: string, body?: unknown, token = admin.accessToken): Promise<{ status: number; body: T }> {
    const response = await fetch(`${system.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.goto(`${system.webUrl}/login`);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }

  /** A premium artist (ratings at their maximum: 80 points). */
  async function makePremiumArtist(stageName: string, genre: string): Promise<string> {
    const created = await call<{ id: string }>('POST', '/api/artists', { stageName, genres: [genre], city: 'Marseille' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const rated = await call<{ tier?: string }>('PUT', `/api/artists/${created.body.id}/ratings`, {
      artisticQuality: 25,
      motivation: 15,
      collaboration: 15,
      businessVision: 15,
      mediaPersonality: 10,
      viralPotential: false,
      versatility: false,
      diversity: false,
      reason: 'e2e: premium artist',
    });
    assert.equal(rated.status, 200, JSON.stringify(rated.body));
    const artist = await call<{ tier: string }>('GET', `/api/artists/${created.body.id}`);
    assert.equal(artist.body.tier, 'premium');
    return created.body.id;
  }

  const motivation = 'Je veux créer avec d’autres artistes pendant sept jours et apprendre le live.';

  before(async () => {
    system = await startSystem({ web: 3260, api: 3261, pg: 54491 });
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
    for (const staff of [staff1, staff2]) {
      const created = await call('POST', '/api/users', { ...staff, role: 'staff' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    juror1 = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1400, height: 1000 } });
    juror2 = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1400, height: 1000 } });
    await signIn(juror1, staff1.email, staff1.password);
    await signIn(juror2, staff2.email, staff2.password);
  });

  after(async () => {
    await browser?.close();
    if (system) await system.interrupt();
  });

  test('staff creates a villa in the UI (with a field error) and opens its call', async () => {
    const page = juror1;
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Villas' }).click();
    await page.waitForURL('**/villas');
    await page.getByRole('heading', { name: 'Villas', level: 1 }).waitFor();
    await page.getByText('Aucune villa pour l’instant.').waitFor();
    await page.getByRole('button', { name: 'Nouvelle villa' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Nouvelle villa' });
    await dialog.getByLabel('Nom').fill('Villa Calanques');
    await dialog.getByLabel('Lieu').fill('Marseille');
    const arrival = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    await dialog.getByLabel('Jour d’arrivée (J-1)').fill(arrival);
    await dialog.getByLabel('Capacité (artistes)').fill('13');
    await dialog.getByRole('button', { name: 'Créer la villa' }).click();
    await dialog.getByText('La capacité va de 8 à 12 artistes.').waitFor();
    // The first field in error gets the focus.
    assert.equal(await dialog.getByLabel('Capacité (artistes)').evaluate((el) => el === document.activeElement), true);
    await dialog.getByLabel('Capacité (artistes)').fill('8');
    await dialog.getByRole('button', { name: 'Créer la villa' }).click();
    await page.waitForURL(/\/villas\/[0-9a-f-]{36}/);
    villaId = /\/villas\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await page.getByRole('heading', { name: 'Villa Calanques', level: 1 }).waitFor();
    await page.getByText('En préparation').first().waitFor();
    await page.getByRole('button', { name: 'Ouvrir les candidatures' }).click();
    await page.getByText('Statut changé : Candidatures ouvertes.').waitFor();
    await page.getByText('0 sur 8').first().waitFor();
    await page.screenshot({ path: shot('villas-01-opened'), fullPage: true });
  });

  test('a premium artist applies and two jurors score the application in the UI; the mean shows', async () => {
    // Lina has her own account and applies herself; the others are applied for by the team.
    const ids: string[] = [];
    for (let i = 0; i < names.length; i += 1) ids.push(await makePremiumArtist(names[i]!, genres[i]!));
    const register = await fetch(`${system.apiUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...artistUser, role: 'artist' }),
    });
    assert.equal(register.status, 201);
    const artist = (await register.json()) as Session;
    const link = await call('POST', `/api/artists/${ids[0]}/link-user`, { userId: artist.user.id });
    assert.equal(link.status, 200, JSON.stringify(link.body));
    const own = await call<{ id: string; status: string }>(
      'POST',
      `/api/villas/${villaId}/applications`,
      { motivation, genre: 'pop', portfolioLinks: ['https://example.com/lina'] },
      artist.accessToken,
    );
    assert.equal(own.status, 201, JSON.stringify(own.body));
    applicationIds.push(own.body.id);
    for (let i = 1; i < names.length; i += 1) {
      const applied = await call<{ id: string }>('POST', `/api/villas/${villaId}/applications`, { artistId: ids[i], motivation, genre: genres[i] });
      assert.equal(applied.status, 201, JSON.stringify(applied.body));
      applicationIds.push(applied.body.id);
    }

    for (const [page, value, juror] of [
      [juror1, '8', staff1.name],
      [juror2, '6', staff2.name],
    ] as const) {
      await page.goto(`${system.webUrl}/villas/${villaId}?tab=applications`);
      await page.getByRole('tab', { name: 'Candidatures', selected: true }).waitFor();
      await page.getByRole('button', { name: 'Ouvrir la candidature de Lina Moreau' }).click();
      const dialog = page.getByRole('dialog', { name: 'Candidature de Lina Moreau' });
      await dialog.getByText(motivation).waitFor();
      for (const label of ['Qualité artistique', 'Originalité', 'Présence scénique', 'Esprit collectif', 'Motivation']) {
        await dialog.getByRole('spinbutton', { name: label, exact: true }).fill(value);
      }
      await dialog.getByLabel('Commentaire (facultatif)').fill(`Avis de ${juror}`);
      await dialog.getByRole('button', { name: 'Enregistrer mon évaluation' }).click();
      await dialog.getByText('Évaluation enregistrée.').waitFor();
      await dialog.getByRole('row', { name: new RegExp(juror) }).waitFor();
    }
    // Juror 2 sees both jurors and the mean (40 and 30: 35 / 50).
    const dialog = juror2.getByRole('dialog', { name: 'Candidature de Lina Moreau' });
    await dialog.getByText('Moyenne du jury : 35 / 50').waitFor();
    await dialog.getByRole('row', { name: new RegExp(staff1.name) }).waitFor();
    await juror2.screenshot({ path: shot('villas-02-jury'), fullPage: true });
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await juror2.locator('tr[data-application="Lina Moreau"]').getByText('35 / 50').waitFor();
  });

  test('staff accept until the villa is full; the next acceptance is refused with the reason', async () => {
    // Seven accepted through the API…
    for (const id of applicationIds.slice(0, 7)) {
      const accepted = await call<{ status: string }>('POST', `/api/applications/${id}/status`, { to: 'accepted' });
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    }
    // …the eighth in the UI: the villa turns full.
    const page = juror1;
    await page.goto(`${system.webUrl}/villas/${villaId}?tab=applications`);
    await page.getByRole('button', { name: `Ouvrir la candidature de ${names[7]}` }).click();
    let dialog = page.getByRole('dialog', { name: `Candidature de ${names[7]}` });
    await dialog.getByRole('button', { name: 'Accepter' }).click();
    await dialog.getByText('Candidature : Acceptée.').waitFor();
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await page.locator('.page-header').getByText('Complète').waitFor();
    const villa = await call<{ status: string; participantsCount: number }>('GET', `/api/villas/${villaId}`);
    assert.equal(villa.body.status, 'full');
    assert.equal(villa.body.participantsCount, 8);

    // The ninth is refused, with the reason in the reader's language.
    await page.getByRole('button', { name: `Ouvrir la candidature de ${names[8]}` }).click();
    dialog = page.getByRole('dialog', { name: `Candidature de ${names[8]}` });
    await dialog.getByRole('button', { name: 'Accepter' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'La villa est complète (capacité 8).' }).waitFor();
    await page.screenshot({ path: shot('villas-03-full-refused'), fullPage: true });
    const ninth = await call<{ status: string }>('GET', `/api/applications/${applicationIds[8]}`);
    assert.equal(ninth.body.status, 'pending');
    await dialog.getByRole('button', { name: 'Fermer' }).click();

    // The participants tab lists the eight.
    await page.getByRole('tab', { name: 'Participants' }).click();
    await page.getByText('0 place(s) libre(s) sur 8').waitFor();
    await page.getByRole('table', { name: 'Artistes acceptés' }).getByRole('link', { name: names[7] }).waitFor();
    assert.equal(await page.getByRole('table', { name: 'Artistes acceptés' }).locator('tbody tr').count(), 8);
  });
  test('the schedule refuses an overlapping slot naming the clash; the budget flags an over-budget line', async () => {
    const page = juror1;
    await page.goto(`${system.webUrl}/villas/${villaId}?tab=schedule`);
    await page.getByRole('heading', { name: 'Planning jour par jour' }).waitFor();
    for (const [title, start, end] of [
      ['Répétition A', '10:00', '12:00'],
      ['Répétition B', '11:00', '13:00'],
    ] as const) {
      await page.getByRole('button', { name: 'Ajouter un créneau le J1' }).click();
      const dialog = page.getByRole('dialog', { name: 'Nouveau créneau' });
      await dialog.getByLabel('Titre').fill(title);
      await dialog.getByLabel('Début').fill(start);
      await dialog.getByLabel('Fin', { exact: true }).fill(end);
      await dialog.getByLabel('Salle (facultatif)').fill('Studio Test');
      await dialog.getByRole('button', { name: 'Enregistrer' }).click();
      if (title === 'Répétition A') await page.getByText('« Répétition A » enregistré.').waitFor();
    }
    const dialog = page.getByRole('dialog', { name: 'Nouveau créneau' });
    await dialog.getByRole('alert').filter({ hasText: 'Chevauchement : la salle Studio Test est déjà dans « Répétition A » (10:00 – 12:00).' }).waitFor();
    await page.screenshot({ path: shot('villas-04-overlap'), fullPage: true });
    await dialog.getByRole('button', { name: 'Fermer' }).click();

    await page.getByRole('tab', { name: 'Budget' }).click();
    await page.getByRole('button', { name: 'Modifier Lieu' }).click();
    const edit = page.getByRole('dialog', { name: 'Modifier « Lieu »' });
    await edit.getByLabel('Prévu (€)').fill('1000');
    await edit.getByLabel('Réel (€)').fill('1200,50');
    await edit.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Au moins un poste de coût dépasse son budget prévu.').waitFor();
    const row = page.getByRole('table', { name: 'Postes de coût, prévu et réel' }).getByRole('row', { name: /Lieu/ });
    await row.getByText('Dépassement').waitFor();
    await row.getByText('1 200,50 €').waitFor();
    await page.screenshot({ path: shot('villas-05-budget'), fullPage: true });

    // A revenue line added through the dialog moves the revenue total and the margin; deleting it puts them back.
    const summary = page.getByRole('table', { name: 'Totaux, marge et seuil de rentabilité' });
    const plain = (text: string | null) =>
      (text ?? '')
        .replace(/\s+/g, ' ')
        .replace(/\u2212/g, '-')
        .trim();
    const summaryRow = async (heading: string) =>
      (
        await summary
          .locator('tr', { has: page.getByRole('rowheader', { name: heading, exact: true }) })
          .locator('td')
          .allTextContents()
      ).map(plain);
    assert.deepEqual(await summaryRow('Recettes'), ['0 €', '0 €']);
    assert.deepEqual(await summaryRow('Marge'), ['-1 000 €', '-1 200,50 €']);
    await page.getByText('Aucune recette prévue.').waitFor();

    await page.getByRole('button', { name: 'Ajouter une recette' }).click();
    const create = page.getByRole('dialog', { name: 'Nouveau poste' });
    assert.equal(await create.getByLabel('Type').inputValue(), 'revenue');
    await create.getByLabel('Catégorie').selectOption({ label: 'Sponsors' });
    await create.getByLabel('Prévu (€)').fill('5 000');
    await create.getByRole('button', { name: 'Ajouter' }).click();
    await page.getByText('Poste « Sponsors » ajouté.').waitFor();
    const revenues = page.getByRole('table', { name: 'Postes de recette, prévu et réel' });
    await revenues.getByRole('rowheader', { name: 'Sponsors', exact: true }).waitFor();
    await summary.getByRole('cell', { name: '4 000 €' }).waitFor();
    assert.deepEqual(await summaryRow('Recettes'), ['5 000 €', '0 €']);
    assert.deepEqual(await summaryRow('Marge'), ['4 000 €', '-1 200,50 €']);
    await page.screenshot({ path: shot('villas-06-budget-revenue'), fullPage: true });

    page.once('dialog', (confirm) => {
      assert.equal(confirm.message(), 'Supprimer le poste « Sponsors » ?');
      void confirm.accept();
    });
    await page.getByRole('button', { name: 'Supprimer Sponsors', exact: true }).click();
    await page.getByText('Poste « Sponsors » supprimé.').waitFor();
    await page.getByText('Aucune recette prévue.').waitFor();
    assert.equal(await revenues.count(), 0);
    assert.deepEqual(await summaryRow('Recettes'), ['0 €', '0 €']);
    assert.deepEqual(await summaryRow('Marge'), ['-1 000 €', '-1 200,50 €']);
    const lines = await call<{ revenues: unknown[] }>('GET', `/api/villas/${villaId}/budget`);
    assert.equal(lines.body.revenues.length, 0);
  });
  test('staff put artists and a team member in a slot; the same artist in an overlapping slot is refused, named', async () => {
    const page = juror1;
    await page.goto(`${system.webUrl}/villas/${villaId}?tab=schedule`);
    await page.getByRole('heading', { name: 'Planning jour par jour' }).waitFor();
    await page.getByRole('button', { name: 'Ajouter un créneau le J2' }).click();
    let dialog = page.getByRole('dialog', { name: 'Nouveau créneau' });
    await dialog.getByLabel('Titre').fill('Duo Lina');
    await dialog.getByLabel('Début').fill('14:00');
    await dialog.getByLabel('Fin', { exact: true }).fill('16:00');
    const artists = dialog.getByRole('group', { name: 'Artistes du créneau' });
    // The villa's eight accepted artists are offered, and only them.
    assert.equal(await artists.getByRole('checkbox').count(), 8);
    assert.equal(await artists.getByRole('checkbox', { name: names[8] }).count(), 0);
    await artists.getByRole('checkbox', { name: 'Theo Vance' }).check();
    await artists.getByRole('checkbox', { name: 'Lina Moreau' }).check();
    await dialog.getByRole('group', { name: 'Équipe du créneau' }).getByRole('checkbox', { name: staff1.name }).check();
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('« Duo Lina » enregistré.').waitFor();
    const slot = page.locator('li[data-slot="Duo Lina"]');
    await slot.getByText('Artistes : Lina Moreau, Theo Vance').waitFor();
    await slot.getByText(`Équipe : ${staff1.name}`).waitFor();

    // The same artist one hour later, in another room: refused, with the artist and the slot named.
    await page.getByRole('button', { name: 'Ajouter un créneau le J2' }).click();
    dialog = page.getByRole('dialog', { name: 'Nouveau créneau' });
    await dialog.getByLabel('Titre').fill('Interview Lina');
    await dialog.getByLabel('Début').fill('15:00');
    await dialog.getByLabel('Fin', { exact: true }).fill('17:00');
    await dialog.getByLabel('Salle (facultatif)').fill('Salon');
    await dialog.getByRole('group', { name: 'Artistes du créneau' }).getByRole('checkbox', { name: 'Lina Moreau' }).check();
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    const refusal = dialog.getByRole('alert').filter({ hasText: 'Chevauchement : l’artiste Lina Moreau est déjà dans « Duo Lina » (14:00 – 16:00).' });
    await refusal.waitFor();
    // Focus goes to the refusal, which names the artist and not an id.
    assert.equal(await refusal.evaluate((el) => el === document.activeElement), true);
    await page.screenshot({ path: shot('villas-07-artist-overlap'), fullPage: true });
    // Nothing was saved.
    const schedule = await call<{ days: { day: number; slots: { title: string; artistIds: string[] }[] }[] }>('GET', `/api/villas/${villaId}/schedule`);
    const j2 = schedule.body.days.find((d) => d.day === 2)!;
    assert.equal(j2.slots.filter((x) => x.title === 'Interview Lina').length, 0);
    assert.equal(j2.slots.find((x) => x.title === 'Duo Lina')?.artistIds.length, 2);

    // Another artist instead: saved.
    await dialog.getByRole('group', { name: 'Artistes du créneau' }).getByRole('checkbox', { name: 'Lina Moreau' }).uncheck();
    await dialog.getByRole('group', { name: 'Artistes du créneau' }).getByRole('checkbox', { name: 'Nora Blue' }).check();
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('« Interview Lina » enregistré.').waitFor();
    await page.locator('li[data-slot="Interview Lina"]').getByText('Artistes : Nora Blue').waitFor();

    // Editing prefills the people.
    await page.getByRole('button', { name: 'Modifier Duo Lina' }).click();
    const edit = page.getByRole('dialog', { name: 'Modifier « Duo Lina »' });
    const editArtists = edit.getByRole('group', { name: 'Artistes du créneau' });
    assert.equal(await editArtists.getByRole('checkbox', { name: 'Lina Moreau' }).isChecked(), true);
    assert.equal(await editArtists.getByRole('checkbox', { name: 'Theo Vance' }).isChecked(), true);
    assert.equal(await editArtists.getByRole('checkbox', { name: 'Nora Blue' }).isChecked(), false);
    assert.equal(await edit.getByRole('group', { name: 'Équipe du créneau' }).getByRole('checkbox', { name: staff1.name }).isChecked(), true);
    await editArtists.getByRole('checkbox', { name: 'Theo Vance' }).uncheck();
    await edit.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('« Duo Lina » enregistré.').waitFor();
    await slot.getByText('Artistes : Lina Moreau', { exact: true }).waitFor();
  });
});
