import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, shot, startSystem, type RunningSystem } from './system.ts';

interface Session {
  accessToken: string;
  user: { id: string; name: string; role: string };
}

/** A local calendar date as the web app writes it in data-date ("2025-03-04"). */
const dayKey = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

describe('team work: follow-up tasks on the board, the calendar', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  let admin: Session;
  let staffSession: Session;
  const stamp = Date.now();
  const staff = { email: `work-staff-${stamp}@example.com`, name: 'Alex Planner', password: 'Agenda-Violet-Rennes-53' };
  const nextAction = `Envoyer le devis ${stamp}`;
  let artistId = '';
  let taskId = '';
  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(10, 0, 0, 0);

  async function call<T>(method: string, path: string, body?: unknown, token = admin.accessToken): Promise<{ status: number; body: T }> {
    const response = await fetch(`${system.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function login(email: string, password: string): Promise<Session> {
    const response = await fetch(`${system.apiUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as Session;
  }

  before(async () => {
    system = await startSystem({ web: 3220, api: 3221, pg: 54451 });
    browser = await launchBrowser();
    const match = /email:\s+(\S+)\s+password:\s+(\S+)/.exec(system.output());
    assert.ok(match, 'first admin printed at start');
    admin = await login(match[1]!, match[2]!);
    const createdStaff = await call('POST', '/api/users', { ...staff, role: 'staff' });
    assert.equal(createdStaff.status, 201, JSON.stringify(createdStaff.body));
    staffSession = await login(staff.email, staff.password);

    const artist = await call<{ id: string }>('POST', '/api/artists', { stageName: 'Maya Rivière', genres: ['soul'], city: 'Lille' }, staffSession.accessToken);
    assert.equal(artist.status, 201, JSON.stringify(artist.body));
    artistId = artist.body.id;

    // The interaction the InteractionsTab records (the tab is wired into the artist page separately).
    const interaction = await call<{ taskId: string | null }>(
      'POST',
      `/api/artists/${artistId}/interactions`,
      {
        kind: 'call',
        summary: 'Premier appel : intéressée par le check-up.',
        nextAction,
        nextActionDueAt: tomorrow.toISOString(),
        assigneeId: staffSession.user.id,
      },
      staffSession.accessToken,
    );
    assert.equal(interaction.status, 201, JSON.stringify(interaction.body));
    assert.ok(interaction.body.taskId, 'the next action became a task');
    taskId = interaction.body.taskId;

    page = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1400, height: 1000 } });
    await page.goto(`${system.webUrl}/login`);
    await page.getByLabel('Adresse e-mail').fill(staff.email);
    await page.getByLabel('Mot de passe').fill(staff.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL('**/status');
  });

  after(async () => {
    await browser?.close();
    if (system) await system.interrupt();
  });

  test('the follow-up task is on the board with its artist and assignee; a drag to "En cours" persists after reload', async () => {
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Tâches' }).click();
    await page.waitForURL('**/tasks');
    await page.getByRole('heading', { name: 'Tâches', level: 1 }).waitFor();
    const todo = page.locator('section[data-status="todo"]');
    const inProgress = page.locator('section[data-status="in_progress"]');
    const card = todo.locator(`li[data-task-id="${taskId}"]`);
    await card.waitFor();
    assert.match(await card.innerText(), /Artiste : Maya Rivière/);
    assert.match(await card.innerText(), /Assignée à Alex Planner/);
    assert.match(await card.innerText(), /#follow-up/);
    assert.equal(await card.getByRole('link', { name: 'Artiste : Maya Rivière' }).getAttribute('href'), `/artists/${artistId}`);
    await page.screenshot({ path: shot('work-01-board'), fullPage: true });

    const handle = page.getByRole('button', { name: `Glisser ${nextAction}` });
    const from = await handle.boundingBox();
    const to = await inProgress.boundingBox();
    assert.ok(from && to);
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 20, from.y + 10, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + 90, { steps: 20 });
    await page.mouse.up();
    await page.getByText(`« ${nextAction} » est maintenant dans la colonne En cours.`).waitFor();
    await inProgress.locator(`li[data-task-id="${taskId}"]`).waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Tâches', level: 1 }).waitFor();
    await inProgress.locator(`li[data-task-id="${taskId}"]`).waitFor();
    assert.equal(await todo.locator(`li[data-task-id="${taskId}"]`).count(), 0);
    const stored = await call<{ status: string }>('GET', `/api/tasks/${taskId}`, undefined, staffSession.accessToken);
    assert.equal(stored.body.status, 'in_progress');
    await page.screenshot({ path: shot('work-02-board-moved'), fullPage: true });
  });

  test('the keyboard alternative: the "Déplacer vers…" menu moves the card to review', async () => {
    const menuButton = page.getByRole('button', { name: `Déplacer ${nextAction} vers…` });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: `Déplacer ${nextAction} vers…` });
    await menu.waitFor();
    await menu.getByRole('menuitem', { name: 'En revue' }).click();
    await page.locator(`section[data-status="review"] li[data-task-id="${taskId}"]`).waitFor();
    await page.getByText(`« ${nextAction} » est maintenant dans la colonne En revue.`).waitFor();
  });

  test('the deadline shows on the calendar, read-only, linking to the board', async () => {
    await page.goto(`${system.webUrl}/calendar`);
    await page.getByRole('heading', { name: 'Calendrier', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Semaine', exact: true }).click();
    let day = page.locator(`[data-date="${dayKey(tomorrow)}"]`);
    if ((await day.count()) === 0) {
      await page.getByRole('button', { name: 'Semaine suivante' }).click();
      day = page.locator(`[data-date="${dayKey(tomorrow)}"]`);
    }
    const entry = day.locator(`[data-entry-id="${taskId}"]`);
    await entry.waitFor();
    assert.equal(await entry.getByRole('link', { name: nextAction }).getAttribute('href'), '/tasks');
    assert.match(await entry.innerText(), /Échéance de tâche/);
    assert.equal(await entry.getByRole('link', { name: 'Maya Rivière' }).getAttribute('href'), `/artists/${artistId}`);
    await page.screenshot({ path: shot('work-03-calendar-deadline'), fullPage: true });
  });

  test('staff creates an event in a dialog and sees it in the week view, after a reload too', async () => {
    await page.getByRole('button', { name: 'Aujourd’hui' }).click();
    await page.getByRole('button', { name: 'Nouvel événement' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nouvel événement' });
    await dialog.waitFor();
    // A missing title is refused next to the field.
    await dialog.getByRole('button', { name: 'Créer' }).click();
    const title = dialog.getByLabel('Titre');
    await page.waitForFunction(() => document.querySelector('dialog input[name="title"]')?.getAttribute('aria-invalid') === 'true');
    assert.equal(await title.getAttribute('aria-invalid'), 'true');
    await title.fill('Coaching vocal');
    await dialog.getByLabel('Type').selectOption('meeting');
    await dialog.getByLabel('Lieu').fill('Studio B');
    await dialog.getByRole('button', { name: 'Créer' }).click();
    await page.getByText('Événement « Coaching vocal » créé.').waitFor();

    const today = page.locator(`[data-date="${dayKey(new Date())}"]`);
    const event = today.locator('.work-entry').filter({ hasText: 'Coaching vocal' });
    await event.waitFor();
    assert.match(await event.innerText(), /Studio B/);
    await page.reload();
    await page.getByRole('button', { name: 'Semaine', exact: true }).click();
    await page
      .locator(`[data-date="${dayKey(new Date())}"]`)
      .locator('.work-entry')
      .filter({ hasText: 'Coaching vocal' })
      .waitFor();
    await page.screenshot({ path: shot('work-04-calendar-week'), fullPage: true });
  });

  test('the opportunities page shows the weighted pipeline', async () => {
    const created = await call<{ id: string }>(
      'POST',
      `/api/artists/${artistId}/opportunities`,
      { title: 'Check-up MONA 290', valueCents: 29000, stage: 'proposal', probability: 50 },
      staffSession.accessToken,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await page.goto(`${system.webUrl}/opportunities`);
    await page.getByRole('heading', { name: 'Opportunités', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Pipeline par étape' });
    await table.waitFor();
    const proposal = table.getByRole('row', { name: /Proposition/ });
    await proposal.getByText(/145,00\s€/).waitFor();
    await page.getByRole('button', { name: 'Modifier l’opportunité Check-up MONA 290' }).waitFor();
    // The list names the artist (and links to the artist page).
    const artistLink = page.getByRole('row', { name: /Check-up MONA 290/ }).getByRole('link', { name: 'Maya Rivière' });
    await artistLink.waitFor();
    assert.equal(await artistLink.getAttribute('href'), `/artists/${artistId}`);
    await page.screenshot({ path: shot('work-05-opportunities'), fullPage: true });
  });
});
