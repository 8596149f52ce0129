import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, shot, startSystem, type RunningSystem } from './system.ts';

interface Session {
  accessToken: string;
  user: { id: string; name: string; role: string };
}

describe('SPARK: sponsors buy packages and read their report; artists apply from the portal', () => {
  let system: RunningSystem;
  let browser: Browser;
  let admin: Session;
  const stamp = Date.now();
  const password = 'Villa-Sponsor-Marseille-73';
  const staff = { email: `staff-s-${stamp}@example.com`, name: 'Sacha Staff' };
  const sponsorA = { email: `sponsor-a-${stamp}@example.com`, name: 'Alice Brasseur' };
  const sponsorB = { email: `sponsor-b-${stamp}@example.com`, name: 'Bruno Limonade' };
  const artistUser = { email: `artist-s-${stamp}@example.com`, name: 'Lina Sol' };
  const lowArtistUser = { email: `artist-low-${stamp}@example.com`, name: 'Paul Petit' };
  const villaName = `Villa Calanques ${stamp}`;
  const ids = { villa: '', lina: '', paul: '', dealA: '' };
  let staffSession: Session;

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

  async function register(account: { email: string; name: string }, role: 'artist' | 'sponsor'): Promise<Session> {
    const response = await fetch(`${system.apiUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...account, password, role }),
    });
    assert.equal(response.status, 201);
    return (await response.json()) as Session;
  }

  async function signIn(email: string, landing: string): Promise<Page> {
    const page = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1400, height: 1000 } });
    await page.goto(`${system.webUrl}/login`);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`**${landing}`);
    return page;
  }

  /** An artist record with the given staff ratings, linked to a new artist account. */
  async function ratedArtist(stageName: string, account: { email: string; name: string }, ratings: number[]): Promise<string> {
    const created = await call<{ id: string }>('POST', '/api/artists', { stageName, genres: ['soul'], city: 'Marseille' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const registered = await register(account, 'artist');
    const link = await call('POST', `/api/artists/${created.body.id}/link-user`, { userId: registered.user.id });
    assert.equal(link.status, 200, JSON.stringify(link.body));
    const [artisticQuality, motivation, collaboration, businessVision, mediaPersonality] = ratings;
    const rated = await call('PUT', `/api/artists/${created.body.id}/ratings`, {
      artisticQuality,
      motivation,
      collaboration,
      businessVision,
      mediaPersonality,
      viralPotential: false,
      versatility: false,
      diversity: false,
      reason: 'Comité SPARK',
    });
    assert.equal(rated.status, 200, JSON.stringify(rated.body));
    return created.body.id;
  }

  before(async () => {
    system = await startSystem({ web: 3230, api: 3231, pg: 54461 });
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

    const created = await call('POST', '/api/users', { ...staff, role: 'staff', password });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    staffSession = await login(staff.email);

    // Staff create the villa and open it.
    const villa = await call<{ id: string }>(
      'POST',
      '/api/villas',
      { name: villaName, place: 'Marseille', arrivalOn: '2027-06-06', capacity: 10 },
      staffSession.accessToken,
    );
    assert.equal(villa.status, 201, JSON.stringify(villa.body));
    ids.villa = villa.body.id;
    const opened = await call('POST', `/api/villas/${ids.villa}/status`, { to: 'open' }, staffSession.accessToken);
    assert.equal(opened.status, 200, JSON.stringify(opened.body));

    // Lina: 80 points (premium); Paul: 50 points (starter).
    ids.lina = await ratedArtist('Lina Sol', artistUser, [25, 15, 15, 15, 10]);
    ids.paul = await ratedArtist('Paul Petit', lowArtistUser, [15, 10, 10, 10, 5]);
  });

  after(async () => {
    await browser?.close();
    if (system) await system.interrupt();
  });

  test('a sponsor signs up, lands on the sponsor space, fills the profile and buys a category package', async () => {
    const page = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1400, height: 1000 } });
    await page.goto(`${system.webUrl}/signup`);
    await page.getByLabel('Nom').fill(sponsorA.name);
    await page.getByLabel('Adresse e-mail').fill(sponsorA.email);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('radio', { name: /sponsor/i }).check();
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.waitForURL('**/sponsor');

    // First visit: the company profile is asked for; nothing can be bought before.
    await page.getByText('Présentez d’abord votre entreprise').waitFor();
    await page.getByRole('button', { name: 'Créer le profil' }).click();
    await page.getByText('Indiquez le nom de l’entreprise.').waitFor();
    await page.getByLabel('Nom de l’entreprise').fill('Brasserie Azur');
    await page.getByLabel('Secteur d’activité').fill('Boissons');
    await page.getByRole('button', { name: 'Créer le profil' }).click();
    await page.getByText('Profil enregistré.').waitFor();
    await page.getByRole('heading', { name: 'Brasserie Azur', level: 1 }).waitFor();

    // The catalogue, with prices.
    await page.getByRole('heading', { name: /Catégorie — 15\s000\s€/ }).waitFor();
    await page.getByRole('heading', { name: /Principal — 25\s000\s€/ }).waitFor();

    await page.getByLabel('Villa', { exact: true }).selectOption(ids.villa);
    await page.getByLabel('Package', { exact: true }).selectOption('category');
    await page.getByRole('button', { name: 'Acheter…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirmer l’achat' });
    await dialog.getByText(`Acheter le package Catégorie`).waitFor();
    await page.screenshot({ path: shot('sponsors-01-confirm'), fullPage: true });
    await dialog.getByRole('button', { name: 'Confirmer l’achat' }).click();
    await page.getByText(`Package Catégorie acheté pour ${villaName}.`).waitFor();
    await page.getByRole('link', { name: new RegExp(`Voir le rapport ${villaName}`) }).waitFor();
    await page.screenshot({ path: shot('sponsors-02-bought'), fullPage: true });

    const session = await login(sponsorA.email);
    const deals = await call<{ items: { id: string; packageCode: string; exclusiveSector: string }[] }>(
      'GET',
      '/api/me/sponsorships',
      undefined,
      session.accessToken,
    );
    assert.equal(deals.body.items.length, 1);
    assert.equal(deals.body.items[0]!.exclusiveSector, 'boissons');
    ids.dealA = deals.body.items[0]!.id;
    // Staff record a first delivery, so the report has progress.
    const delivered = await call(
      'POST',
      `/api/sponsorships/${ids.dealA}/deliveries`,
      { metric: 'mentions', amount: 3, occurredAt: '2027-06-07T18:00:00+02:00' },
      staffSession.accessToken,
    );
    assert.equal(delivered.status, 201, JSON.stringify(delivered.body));
    await page.close();
  });

  test('a second sponsor of the same sector is refused the category package, with the reason', async () => {
    const session = await register(sponsorB, 'sponsor');
    const profile = await call('PUT', '/api/me/sponsor', { companyName: 'Limonades du Sud', sector: 'boissons' }, session.accessToken);
    assert.ok(profile.status === 200 || profile.status === 201, JSON.stringify(profile.body));

    const page = await signIn(sponsorB.email, '/sponsor');
    await page.getByRole('heading', { name: 'Limonades du Sud', level: 1 }).waitFor();
    await page.getByLabel('Villa', { exact: true }).selectOption(ids.villa);
    await page.getByLabel('Package', { exact: true }).selectOption('category');
    await page.getByRole('button', { name: 'Acheter…' }).click();
    await page.getByRole('dialog', { name: 'Confirmer l’achat' }).getByRole('button', { name: 'Confirmer l’achat' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Achat refusé' });
    await alert.getByText('La catégorie « boissons » est déjà prise pour cette villa.').waitFor();
    await page.getByText('Aucun sponsoring pour le moment.').waitFor();
    await page.screenshot({ path: shot('sponsors-03-refused'), fullPage: true });

    // Nor can they open the first sponsor's report.
    await page.goto(`${system.webUrl}/sponsor/sponsorships/${ids.dealA}`);
    await page.getByRole('heading', { name: 'Rapport introuvable', level: 1 }).waitFor();
    await page.getByText('Ce sponsoring n’existe pas ou n’est pas le vôtre.').waitFor();
    assert.equal(await page.getByText('Brasserie Azur').count(), 0);
    await page.screenshot({ path: shot('sponsors-04-not-found'), fullPage: true });
    await page.close();
  });

  test('the first sponsor reads their live report; the PDF says when it becomes available', async () => {
    const page = await signIn(sponsorA.email, '/sponsor');
    await page.getByRole('link', { name: new RegExp(`Voir le rapport ${villaName}`) }).click();
    await page.waitForURL(`**/sponsor/sponsorships/${ids.dealA}`);
    await page.getByRole('heading', { name: `Rapport sponsor — ${villaName}`, level: 1 }).waitFor();
    await page.getByText('Rapport en direct').waitFor();
    await page.getByRole('heading', { name: 'Promis et livré' }).waitFor();
    const mentions = page.getByRole('progressbar', { name: 'Mentions organiques' });
    await mentions.waitFor();
    assert.match((await mentions.getAttribute('aria-valuetext')) ?? '', /^3 sur \d+/);
    await page.getByRole('table', { name: 'Livré cumulé par jour et par contrepartie' }).waitFor();
    await page.getByRole('button', { name: 'Télécharger le PDF' }).click();
    await page.getByRole('status').filter({ hasText: 'Le PDF sera disponible à partir du' }).waitFor();
    await page.screenshot({ path: shot('sponsors-05-report'), fullPage: true });
    await page.close();
  });

  test('staff create a sponsor with a login, sell it a package from the villa page and edit a promised deliverable', async () => {
    const contact = { email: `contact-${stamp}@example.com`, name: 'Chloé Ondes' };
    const page = await signIn(staff.email, '/status');
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Sponsors' }).click();
    await page.waitForURL('**/sponsors');
    await page.getByRole('heading', { name: 'Sponsors', level: 1 }).waitFor();
    // The two portal sponsors are listed, with their login.
    await page.locator('tr[data-sponsor="Brasserie Azur"]').getByText('Oui').waitFor();

    await page.getByRole('button', { name: 'Nouveau sponsor' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Nouveau sponsor' });
    await dialog.getByLabel('Nom de l’entreprise').fill('Radio Mistral');
    await dialog.getByLabel('Contact (facultatif)', { exact: true }).fill(contact.name);
    await dialog.getByLabel('E-mail du contact (facultatif)').fill(contact.email);
    await dialog.getByRole('checkbox', { name: 'Créer un accès pour le contact' }).check();
    // The login starts from the contact.
    assert.equal(await dialog.getByLabel('E-mail de connexion').inputValue(), contact.email);
    assert.equal(await dialog.getByLabel('Nom du titulaire du compte').inputValue(), contact.name);
    await dialog.getByRole('button', { name: 'Créer le sponsor' }).click();
    // The sector is missing: the message is at the field, which gets the focus.
    await dialog.getByText('Indiquez le secteur d’activité.').waitFor();
    assert.equal(await dialog.getByLabel('Secteur d’activité').evaluate((el) => el === document.activeElement), true);
    await dialog.getByLabel('Secteur d’activité').fill('Médias');

    // An email already used by an account is refused at the login email field; nothing is created.
    await dialog.getByLabel('E-mail de connexion').fill(sponsorA.email);
    await dialog.getByRole('button', { name: 'Créer le sponsor' }).click();
    await dialog.getByText('Un compte existe déjà avec cette adresse e-mail.').waitFor();
    assert.equal(await dialog.getByLabel('E-mail de connexion').evaluate((el) => el === document.activeElement), true);
    const before = await call<{ items: { companyName: string }[] }>('GET', '/api/sponsors', undefined, staffSession.accessToken);
    assert.equal(before.body.items.filter((x) => x.companyName === 'Radio Mistral').length, 0);

    await dialog.getByLabel('E-mail de connexion').fill(contact.email);
    await dialog.getByRole('button', { name: 'Créer le sponsor' }).click();
    await dialog.getByText(`Sponsor « Radio Mistral » créé, avec un accès pour ${contact.email}.`).waitFor();
    const temporary = (await dialog.locator('.secret__value').textContent())?.trim() ?? '';
    assert.match(temporary, /^[a-z0-9]{5}(-[a-z0-9]{5}){3}$/);
    await dialog.getByRole('button', { name: 'Copier' }).waitFor();
    await dialog.getByText('Transmettez-le de façon sécurisée : il ne sera plus affiché.').waitFor();
    await page.screenshot({ path: shot('sponsors-08-created-with-login'), fullPage: true });
    await dialog.getByRole('button', { name: 'Terminé' }).click();
    const row = page.locator('tr[data-sponsor="Radio Mistral"]');
    await row.getByText('médias').waitFor();
    await row.getByText('Oui').waitFor();

    // The contact signs in with the temporary password and lands on the company's sponsor space.
    const contactLogin = await fetch(`${system.apiUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: contact.email, password: temporary }),
    });
    assert.equal(contactLogin.status, 200);
    const contactSession = (await contactLogin.json()) as Session;
    assert.equal(contactSession.user.role, 'sponsor');
    const own = await call<{ companyName: string }>('GET', '/api/me/sponsor', undefined, contactSession.accessToken);
    assert.equal(own.body.companyName, 'Radio Mistral');

    // From the villa page: the category of « boissons » is taken, refused with the reason; the principal package sells.
    await page.goto(`${system.webUrl}/villas/${ids.villa}?tab=sponsors`);
    await page.getByRole('heading', { name: 'Sponsors de la villa' }).waitFor();
    await page.getByRole('button', { name: 'Ajouter un sponsor' }).click();
    const sell = page.getByRole('dialog', { name: 'Vendre un package' });
    await sell.getByLabel('Sponsor', { exact: true }).selectOption({ label: 'Radio Mistral (médias)' });
    await sell.getByLabel('Package', { exact: true }).selectOption('category');
    assert.equal(await sell.getByLabel('Secteur exclusif').inputValue(), 'médias');
    await sell.getByLabel('Secteur exclusif').fill('boissons');
    await sell.getByRole('button', { name: 'Vendre le package' }).click();
    const refusal = sell.getByRole('alert').filter({ hasText: 'La catégorie « boissons » est déjà prise pour cette villa.' });
    await refusal.waitFor();
    // Focus moves to the reason.
    assert.equal(await refusal.evaluate((el) => el === document.activeElement), true);
    await page.screenshot({ path: shot('sponsors-09-sale-refused'), fullPage: true });
    assert.match((await sell.locator('option[value="principal"]').textContent()) ?? '', /^Principal — 25\s000\s€$/);
    await sell.getByLabel('Package', { exact: true }).selectOption('principal');
    await sell.getByRole('button', { name: 'Vendre le package' }).click();
    await page.getByText('Package Principal vendu à Radio Mistral.').waitFor();
    const deals = page.getByRole('table', { name: 'Partenariats de la villa' });
    await deals
      .getByRole('row', { name: /Radio Mistral/ })
      .getByText('25 000 €')
      .waitFor();

    // Edit its deliverables: the form is prefilled with the promised values; a negative value is refused at its field.
    await page.getByRole('button', { name: 'Modifier les livrables de Radio Mistral' }).click();
    const edit = page.getByRole('dialog', { name: 'Livrables promis à Radio Mistral' });
    assert.equal(await edit.getByLabel('Mentions', { exact: true }).inputValue(), '60');
    assert.equal(await edit.getByLabel('Leads', { exact: true }).inputValue(), '500');
    await edit.getByLabel('Mentions', { exact: true }).fill('-3');
    await edit.getByRole('button', { name: 'Enregistrer' }).click();
    await edit.getByText('Donnez un nombre positif ou nul, ou laissez vide.').waitFor();
    assert.equal(await edit.getByLabel('Mentions', { exact: true }).evaluate((el) => el === document.activeElement), true);
    await edit.getByLabel('Mentions', { exact: true }).fill('75');
    await edit.getByLabel('Leads', { exact: true }).fill('');
    await edit.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Livrables de Radio Mistral enregistrés.').waitFor();
    const promised = page.getByRole('table', { name: 'Livrables de Radio Mistral : promis et livrés' });
    await promised
      .getByRole('row', { name: /Mentions/ })
      .getByRole('cell', { name: '75', exact: true })
      .waitFor();
    assert.equal(await promised.getByRole('row', { name: /Leads/ }).count(), 0);
    await page.screenshot({ path: shot('sponsors-10-deliverables'), fullPage: true });
    const deal = await call<{ items: { sponsor: { companyName: string }; deliverables: { metric: string; promised: number }[] }[] }>(
      'GET',
      `/api/villas/${ids.villa}/sponsorships`,
      undefined,
      staffSession.accessToken,
    );
    const mistral = deal.body.items.find((x) => x.sponsor.companyName === 'Radio Mistral');
    assert.equal(mistral?.deliverables.find((d) => d.metric === 'mentions')?.promised, 75);
    assert.equal(
      mistral?.deliverables.some((d) => d.metric === 'leads'),
      false,
    );
    await page.close();
  });

  test('an artist of tier premium applies from the portal SPARK tab and sees the application pending', async () => {
    const page = await signIn(artistUser.email, '/portal');
    await page.getByRole('tab', { name: 'SPARK' }).click();
    await page.getByRole('heading', { name: villaName }).waitFor();
    await page.getByRole('button', { name: `Candidater ${villaName}` }).click();
    const dialog = page.getByRole('dialog', { name: `Candidater à ${villaName}` });
    await dialog.getByRole('button', { name: 'Envoyer ma candidature' }).click();
    await dialog.getByText('Écrivez au moins 30 caractères.').waitFor();
    await dialog.getByLabel('Motivation').fill('Je veux écrire des duos soul avec les autres artistes de la villa et tourner en live.');
    await dialog.getByLabel('Liens de portfolio (facultatif)').fill('https://example.com/lina');
    await dialog.getByRole('button', { name: 'Envoyer ma candidature' }).click();
    await page.getByText(`Candidature envoyée pour ${villaName}.`).waitFor();
    const row = page.getByRole('row', { name: new RegExp(villaName) });
    await row.getByText('En attente').waitFor();
    await page.screenshot({ path: shot('sponsors-06-applied'), fullPage: true });

    // Withdrawing asks first, then shows the new status.
    await row.getByRole('button', { name: `Retirer ${villaName}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Retirer la candidature' });
    await confirm.getByRole('button', { name: 'Retirer la candidature' }).click();
    await page.getByText(`Candidature à ${villaName} retirée.`).waitFor();
    await page
      .getByRole('row', { name: new RegExp(villaName) })
      .getByText('Retirée')
      .waitFor();
    await page.close();

    // An artist below premium is told why, plainly.
    const low = await signIn(lowArtistUser.email, '/portal');
    await low.getByRole('tab', { name: 'SPARK' }).click();
    await low.getByRole('button', { name: `Candidater ${villaName}` }).click();
    const lowDialog = low.getByRole('dialog', { name: `Candidater à ${villaName}` });
    await lowDialog.getByLabel('Motivation').fill('J’aimerais beaucoup rejoindre cette villa pour progresser en écriture.');
    await lowDialog.getByRole('button', { name: 'Envoyer ma candidature' }).click();
    await lowDialog.getByText('Votre niveau actuel est Starter (score 50) : le niveau Premium (80) est requis pour candidater.').waitFor();
    await low.screenshot({ path: shot('sponsors-07-tier-refused'), fullPage: true });
    await low.close();
  });
});
