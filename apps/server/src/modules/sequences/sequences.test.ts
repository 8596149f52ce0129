import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { asc, eq, inArray } from 'drizzle-orm';
import { ManualClock } from '../../platform/clock.ts';
import { register, until } from '../../test/harness.ts';
import { artists } from '../artists/artists.tables.ts';
import { notificationMessages } from '../notifications/notifications.tables.ts';
import { DEFAULT_SEQUENCES, DEFAULT_TEMPLATES } from './defaults.ts';
import { SEQUENCE_EVENTS, sequenceEventJob, sequenceInactivityJob, sequenceTickJob } from './sequences.jobs.ts';
import { sequenceEnrolments, sequences } from './sequences.tables.ts';
import { api, createArtist, runEventJob, startSequencesSystem, tickAndDispatch, type SequencesSystem } from './sequences.test-helpers.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MIN = 60_000;

describe('sequences', () => {
  let s: SequencesSystem;
  let admin: string;
  // Tuesday 1 December 2026, 10:00 in Paris.
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  let n = 0;
  const unique = (prefix: string) => `${prefix}.${++n}.${Math.random().toString(36).slice(2, 6)}`;

  before(async () => {
    s = await startSequencesSystem(clock);
    const { signInAs } = await import('../../test/harness.ts');
    admin = (await signInAs(s.system, 'admin')).accessToken;
  });
  after(async () => s.close());

  const call = () => api(s.system).inject;
  const db = () => s.system.ctx.platform.database.db;
  const messagesOf = (artistIds: string[]) =>
    db().select().from(notificationMessages).where(inArray(notificationMessages.artistId, artistIds)).orderBy(asc(notificationMessages.createdAt));

  /** An email template made through the API (activity, so no consent or window applies). */
  const makeTemplate = async (label: string, channel: 'email' | 'sms' = 'email') => {
    const code = unique(`test.${label}.${channel}`);
    const res = await call()('POST', '/api/notification-templates', s.staff, {
      code,
      channel,
      kind: 'activity',
      name: `Test ${label}`,
      contents: {
        fr: { subject: channel === 'email' ? `${label} pour {{name}}` : '', body: `Bonjour {{name}}, étape ${label}.` },
        en: { subject: channel === 'email' ? `${label} for {{name}}` : '', body: `Hello {{name}}, step ${label}.` },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<{ id: string; code: string }>();
  };

  /** A manual sequence with email steps at these delays (minutes), activated. */
  const makeSequence = async (delays: number[], status: 'active' | 'draft' = 'active') => {
    const templates: { id: string; code: string }[] = [];
    for (const [i] of delays.entries()) templates.push(await makeTemplate(`step${i}`));
    const res = await call()('POST', '/api/sequences', s.staff, {
      name: unique('Manual test'),
      trigger: 'manual',
      steps: delays.map((delayMinutes, i) => ({ channel: 'email', templateCode: templates[i]!.code, delayMinutes, windowRule: 'any' })),
    });
    assert.equal(res.statusCode, 201, res.body);
    const sequence = res.json();
    if (status === 'active') assert.equal((await call()('PATCH', `/api/sequences/${sequence.id}`, s.staff, { status: 'active' })).statusCode, 200);
    return { id: sequence.id as string, templates };
  };

  test('the five default sequences are installed active with French and English templates; a second install keeps staff edits', async () => {
    const list = (await call()('GET', '/api/sequences', s.staff)).json().items as {
      id: string;
      code: string;
      status: string;
      trigger: string;
      triggerConfig: Record<string, unknown>;
      steps: { delayLabel: string; channel: string; windowRule: string }[];
    }[];
    const defaults = list.filter((q) => q.code);
    assert.deepEqual(defaults.map((q) => q.code).sort(), ['mona_290_nurturing', 'mona_390_upsell', 'spark_ready_invitation', 'welcome', 'win_back']);
    assert.ok(defaults.every((q) => q.status === 'active'));
    const welcome = defaults.find((q) => q.code === 'welcome')!;
    assert.equal(welcome.trigger, 'signup');
    assert.deepEqual(
      welcome.steps.map((st) => `${st.delayLabel} ${st.channel} ${st.windowRule}`),
      ['D0 email daytime', '+2h sms daytime', 'D3 email daytime', 'D5 email daytime', 'D6 sms daytime', 'D7 email daytime'],
    );
    assert.deepEqual(defaults.find((q) => q.code === 'mona_290_nurturing')!.triggerConfig, { offerCode: 'mona-290' });
    assert.deepEqual(defaults.find((q) => q.code === 'spark_ready_invitation')!.triggerConfig, { tier: 'spark_ready' });
    assert.deepEqual(defaults.find((q) => q.code === 'win_back')!.triggerConfig, { days: 60 });
    // Every offer code the defaults name exists in the catalogue.
    const offerCodes = ((await call()('GET', '/api/offers', s.staff)).json().items as { code: string }[]).map((o) => o.code);
    for (const q of DEFAULT_SEQUENCES) {
      for (const code of [q.triggerConfig.offerCode, ...q.exitRules.map((r) => r.offerCode)].filter(Boolean)) assert.ok(offerCodes.includes(code!), code);
    }

    const templates = (await call()('GET', '/api/notification-templates', s.staff)).json().items as {
      id: string;
      code: string;
      contents: { fr: { subject: string; body: string }; en: { subject: string; body: string } };
    }[];
    for (const t of DEFAULT_TEMPLATES) {
      const found = templates.find((x) => x.code === t.code)!;
      assert.ok(found.contents.fr.body.length > 20 && found.contents.en.body.length > 20, t.code);
    }

    // Staff edit a default template and rename a default sequence; a restart's install leaves both alone.
    const d3 = templates.find((x) => x.code === 'welcome.d3.email')!;
    const edited = { name: 'Welcome D3 (edited)', contents: { fr: { subject: 'Sujet revu', body: 'Texte revu, {{name}}.' }, en: d3.contents.en } };
    assert.equal((await call()('PUT', `/api/notification-templates/${d3.id}`, s.staff, edited)).statusCode, 200);
    assert.equal((await call()('PATCH', `/api/sequences/${welcome.id}`, s.staff, { name: 'Bienvenue (revu)' })).statusCode, 200);
    assert.deepEqual(await s.system.ctx.services.sequences.installDefaults(), { templates: 0, sequences: 0 });
    const again = (await call()('GET', `/api/notification-templates/${d3.id}`, s.staff)).json();
    assert.equal(again.contents.fr.subject, 'Sujet revu');
    assert.equal(again.name, 'Welcome D3 (edited)');
    assert.deepEqual(
      again.usedBy.map((u: { id: string }) => u.id),
      [welcome.id],
    );
    assert.equal((await call()('GET', `/api/sequences/${welcome.id}`, s.staff)).json().name, 'Bienvenue (revu)');
    // A default sequence that is gone (deleted in the database) comes back with its steps; nothing else is touched.
    await db().delete(sequences).where(eq(sequences.code, 'win_back'));
    assert.deepEqual(await s.system.ctx.services.sequences.installDefaults(), { templates: 0, sequences: 1 });
    const restored = ((await call()('GET', '/api/sequences', s.staff)).json().items as typeof list).find((q) => q.code === 'win_back')!;
    assert.deepEqual(
      restored.steps.map((st) => st.delayLabel),
      ['D0', 'D4', 'D7', 'D10'],
    );
    assert.equal((await call()('GET', `/api/notification-templates/${d3.id}`, s.staff)).json().contents.fr.subject, 'Sujet revu');
  });

  test('templates: wording is checked, a taken code is 409, and the preview renders what a recipient gets', async () => {
    const bad = (contents: object, channel = 'email') =>
      call()('POST', '/api/notification-templates', s.staff, { code: unique('test.bad'), channel, kind: 'marketing', name: 'Bad', contents });
    const ok = { subject: 'Bonjour', body: 'Salut {{name}}' };
    let res = await bad({ fr: { subject: 'Bonjour', body: 'Salut {{name' }, en: ok });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details.issues[0].path, 'contents.fr.body');
    res = await bad({ fr: ok, en: { subject: '', body: 'Hi' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details.issues[0].path, 'contents.en.subject');
    res = await bad({ fr: ok });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details.issues[0].path, 'contents.en');
    res = await bad({ fr: { subject: '', body: 'x'.repeat(1000) }, en: { subject: '', body: 'ok' } }, 'sms');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details.issues[0].path, 'contents.fr.body');
    res = await call()('POST', '/api/notification-templates', s.staff, {
      code: 'Not A Code',
      channel: 'email',
      kind: 'marketing',
      name: 'x',
      contents: { fr: ok, en: ok },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details.issues[0].path, 'code');
    res = await call()('POST', '/api/notification-templates', s.staff, {
      code: 'test.kind',
      channel: 'email',
      kind: 'transactional',
      name: 'x',
      contents: { fr: ok, en: ok },
    });
    assert.equal(res.statusCode, 400, 'staff cannot make transactional templates (they bypass consent)');
    res = await call()('POST', '/api/notification-templates', s.staff, {
      code: 'welcome.d0.email',
      channel: 'email',
      kind: 'activity',
      name: 'Dup',
      contents: { fr: ok, en: ok },
    });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.details.issues[0].path, 'code');

    const artist = await createArtist(s.system, s.staff, { stageName: 'Mia Soleil', email: 'mia@example.com' });
    const welcomeD5 = ((await call()('GET', '/api/notification-templates', s.staff)).json().items as { id: string; code: string }[]).find(
      (t) => t.code === 'welcome.d5.email',
    )!;
    const preview = await call()('POST', `/api/notification-templates/${welcomeD5.id}/preview`, s.staff, { locale: 'en', artistId: artist.id });
    assert.equal(preview.statusCode, 200, preview.body);
    const p = preview.json();
    assert.equal(p.subject, "What's inside a MONA 290 check-up");
    assert.match(p.text, /^Hello Mia Soleil,/);
    assert.match(p.text, /Book my check-up \(http:\/\/app\.mona\.test\/offers\)/);
    assert.match(p.html, /<a href="http:\/\/app\.mona\.test\/offers"/);
    assert.match(p.html, /Unsubscribe from marketing emails/);
    // Unsaved wording, and an SMS.
    const draft = await call()('POST', `/api/notification-templates/${welcomeD5.id}/preview`, s.staff, {
      locale: 'fr',
      subject: 'Test {{name}}',
      body: '**Gras** {{name}}',
    });
    assert.equal(draft.json().subject, 'Test Nina Rivers');
    assert.match(draft.json().html, /<strong>Gras<\/strong> Nina Rivers/);
    const broken = await call()('POST', `/api/notification-templates/${welcomeD5.id}/preview`, s.staff, { locale: 'fr', body: '{{#if}}' });
    assert.equal(broken.statusCode, 400);
    const sms = (await call()('GET', '/api/notification-templates?channel=sms', s.staff)).json().items as { id: string; code: string; channel: string }[];
    assert.ok(sms.every((t) => t.channel === 'sms'));
    const h2 = sms.find((t) => t.code === 'welcome.h2.sms')!;
    const smsPreview = (await call()('POST', `/api/notification-templates/${h2.id}/preview`, s.staff, { locale: 'fr' })).json();
    assert.equal(smsPreview.html, null);
    assert.equal(
      smsPreview.text,
      "Nina Rivers, bienvenue chez MONA ! Complétez votre profil (liens, genres) pour que l'équipe prépare votre premier regard sur votre projet : http://app.mona.test/portal STOP SMS : répondez STOP",
    );
    assert.equal(
      (await call()('POST', `/api/notification-templates/${h2.id}/preview`, s.staff, { locale: 'fr', artistId: '00000000-0000-4000-8000-000000000000' }))
        .statusCode,
      400,
    );
    assert.equal((await call()('GET', '/api/notification-templates/00000000-0000-4000-8000-000000000000', s.staff)).statusCode, 404);
  });

  test('sequence API: 400 on bad triggers, exits and steps; 409 on illegal status changes; 403 for non-team; 401 anonymous', async () => {
    const email = await makeTemplate('v');
    const sms = await makeTemplate('v', 'sms');
    const post = (body: object) => call()('POST', '/api/sequences', s.staff, { name: 'Checked', ...body });
    const issue = async (res: Awaited<ReturnType<typeof post>>) => {
      assert.equal(res.statusCode, 400, res.body);
      return res.json().error.details.issues[0].path as string;
    };
    assert.equal(await issue(await post({ trigger: 'tier_changed' })), 'triggerConfig.tier');
    assert.equal(await issue(await post({ trigger: 'inactivity', triggerConfig: { days: 0 } })), 'triggerConfig.days');
    assert.equal(await issue(await post({ trigger: 'signup', triggerConfig: { days: 3 } })), 'triggerConfig.days');
    assert.equal(await issue(await post({ trigger: 'order_paid', triggerConfig: { offerCode: 'mona-999' } })), 'triggerConfig.offerCode');
    assert.equal(await issue(await post({ trigger: 'manual', exitRules: [{ type: 'unsubscribed', stage: 'checkup' }] })), 'exitRules.0.stage');
    assert.equal(await issue(await post({ trigger: 'manual', exitRules: [{ type: 'order_paid', offerCode: 'nope' }] })), 'exitRules.0.offerCode');
    assert.equal(await issue(await post({ trigger: 'manual', exitRules: [{ type: 'left' }] })), 'exitRules.0.type');
    const step = (over: object) => ({ channel: 'email', templateCode: email.code, delayMinutes: 0, windowRule: 'any', ...over });
    assert.equal(await issue(await post({ trigger: 'manual', steps: [step({ templateCode: 'no.such.template' })] })), 'steps.0.templateCode');
    assert.equal(await issue(await post({ trigger: 'manual', steps: [step({ templateId: email.id })] })), 'steps.0.templateCode');
    assert.equal(await issue(await post({ trigger: 'manual', steps: [step({ templateCode: undefined })] })), 'steps.0.templateCode');
    assert.equal(await issue(await post({ trigger: 'manual', steps: [step({ templateCode: sms.code })] })), 'steps.0.channel');
    assert.equal(await issue(await post({ trigger: 'manual', steps: [step({ delayMinutes: 600 }), step({ delayMinutes: 60 })] })), 'steps.1.delayMinutes');
    assert.equal(await issue(await post({ trigger: 'manual', steps: [step({ delayMinutes: -1 })] })), 'steps.0.delayMinutes');
    assert.equal(await issue(await post({ trigger: 'manual', steps: [step({ windowRule: 'weekends' })] })), 'steps.0.windowRule');
    assert.equal(await issue(await post({ trigger: 'manual', status: 'active' })), 'status');

    // A draft without steps cannot start; a draft cannot be paused; nothing goes back to draft.
    const draft = (
      await post({ trigger: 'order_paid', triggerConfig: { offerCode: 'mona-390' }, exitRules: [{ type: 'order_paid', offerCode: 'mona-490' }] })
    ).json();
    assert.equal(draft.status, 'draft');
    const patch = (body: object) => call()('PATCH', `/api/sequences/${draft.id}`, s.staff, body);
    let res = await patch({ status: 'active' });
    assert.equal(res.statusCode, 409);
    assert.match(res.json().error.message, /add at least one step/);
    assert.equal((await patch({ status: 'paused' })).statusCode, 409);
    assert.equal(
      (await call()('PUT', `/api/sequences/${draft.id}/steps`, s.staff, { steps: [step({ templateCode: undefined, templateId: email.id })] })).statusCode,
      200,
    );
    assert.equal((await patch({ status: 'active' })).json().status, 'active');
    assert.equal((await patch({ status: 'active' })).statusCode, 200, 'the same status is no change');
    res = await patch({ status: 'draft' });
    assert.equal(res.statusCode, 409);
    assert.deepEqual([res.json().error.details.from, res.json().error.details.to], ['active', 'draft']);
    assert.equal((await call()('PUT', `/api/sequences/${draft.id}/steps`, s.staff, { steps: [] })).statusCode, 409);
    assert.equal((await patch({ trigger: 'tier_changed' })).statusCode, 400, 'a new trigger needs its own parameters');
    const moved = await patch({ trigger: 'tier_changed', triggerConfig: { tier: 'premium' } });
    assert.deepEqual(moved.json().triggerConfig, { tier: 'premium' });
    assert.equal((await call()('PATCH', '/api/sequences/00000000-0000-4000-8000-000000000000', s.staff, { name: 'x' })).statusCode, 404);
    assert.equal((await call()('GET', '/api/sequences/not-a-uuid', s.staff)).statusCode, 400);

    // Only the team.
    const artistAccount = await register(s.system.app);
    for (const [method, url] of [
      ['GET', '/api/sequences'],
      ['GET', `/api/sequences/${draft.id}`],
      ['GET', `/api/sequences/${draft.id}/stats`],
      ['GET', `/api/sequences/${draft.id}/enrolments`],
      ['GET', '/api/notification-templates'],
      ['GET', `/api/notification-templates/${email.id}`],
    ] as const) {
      assert.equal((await call()(method, url, artistAccount.accessToken)).statusCode, 403, url);
      assert.equal((await call()(method, url)).statusCode, 401, url);
    }
    assert.equal((await call()('POST', '/api/sequences', artistAccount.accessToken, { name: 'x', trigger: 'manual' })).statusCode, 403);
    assert.equal((await call()('PATCH', `/api/sequences/${draft.id}`, artistAccount.accessToken, { status: 'paused' })).statusCode, 403);
    assert.equal((await call()('POST', `/api/notification-templates/${email.id}/preview`, artistAccount.accessToken, { locale: 'fr' })).statusCode, 403);
    assert.equal((await call()('POST', '/api/sequences', admin, { name: 'By the admin', trigger: 'manual' })).statusCode, 201);
  });

  test('manual enrolment: once at a time; removal cancels what was waiting at once; progress, artist view and stats', async () => {
    const start = new Date('2026-12-02T09:00:00Z');
    clock.set(start);
    const { id: sequenceId } = await makeSequence([0, 60, 120]);
    const artist = await createArtist(s.system, s.staff, { email: `enrol-${n}@example.com` });
    const enrol = () => call()('POST', `/api/sequences/${sequenceId}/enrolments`, s.staff, { artistId: artist.id });
    const first = await enrol();
    assert.equal(first.statusCode, 201, first.body);
    const enrolment = first.json();
    assert.equal(enrolment.status, 'active');
    assert.equal(enrolment.nextStep.delayLabel, 'D0');
    assert.equal(enrolment.nextRunAt, start.toISOString());
    const again = await enrol();
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.details.issues[0].path, 'artistId');
    assert.equal(
      (await call()('POST', `/api/sequences/${sequenceId}/enrolments`, s.staff, { artistId: '00000000-0000-4000-8000-000000000000' })).statusCode,
      400,
    );

    await tickAndDispatch(s.system);
    clock.set(new Date(start.getTime() + 60 * MIN));
    // The second step is composed, then waits: the SMTP server is not asked yet (no dispatch).
    await s.system.ctx.services.sequenceEngine.tick();
    let messages = await messagesOf([artist.id]);
    assert.deepEqual(
      messages.map((m) => [m.stepPosition, m.status]),
      [
        [0, 'sent'],
        [1, 'pending'],
      ],
    );
    const progress = (await call()('GET', `/api/sequences/${sequenceId}/enrolments`, s.staff)).json().items;
    assert.equal(progress.length, 1);
    assert.equal(progress[0].stepsDone, 2);
    assert.equal(progress[0].stepsTotal, 3);
    assert.equal(progress[0].nextStep.position, 2);
    assert.equal(progress[0].nextRunAt, new Date(start.getTime() + 120 * MIN).toISOString());
    assert.equal(progress[0].artistName, artist.stageName);

    const removed = await call()('DELETE', `/api/sequences/${sequenceId}/enrolments/${enrolment.id}`, s.staff);
    assert.equal(removed.statusCode, 200);
    assert.deepEqual([removed.json().status, removed.json().exitReason, removed.json().nextStep], ['exited', 'removed', null]);
    assert.equal((await call()('DELETE', `/api/sequences/${sequenceId}/enrolments/${enrolment.id}`, s.staff)).statusCode, 409);
    assert.equal((await call()('DELETE', `/api/sequences/${sequenceId}/enrolments/00000000-0000-4000-8000-000000000000`, s.staff)).statusCode, 404);
    clock.set(new Date(start.getTime() + 3 * HOUR));
    await tickAndDispatch(s.system);
    messages = await messagesOf([artist.id]);
    assert.deepEqual(
      messages.map((m) => [m.stepPosition, m.status]),
      [
        [0, 'sent'],
        [1, 'cancelled'],
      ],
    );
    assert.equal(s.smtp.mails.filter((m) => m.to === artist.email).length, 1);

    // Enrolled again later: a new enrolment, its own messages.
    const second = await enrol();
    assert.equal(second.statusCode, 201);
    await tickAndDispatch(s.system);
    const mine = (await call()('GET', `/api/artists/${artist.id}/enrolments`, s.staff)).json().items;
    assert.deepEqual(
      mine.map((e: { status: string; exitReason: string | null }) => [e.status, e.exitReason]),
      [
        ['active', null],
        ['exited', 'removed'],
      ],
    );
    assert.equal((await call()('GET', '/api/artists/00000000-0000-4000-8000-000000000000/enrolments', s.staff)).statusCode, 404);

    const stats = (await call()('GET', `/api/sequences/${sequenceId}/stats`, s.staff)).json();
    assert.equal(stats.enrolled, 2);
    assert.equal(stats.active, 1);
    assert.equal(stats.exited, 1);
    assert.equal(stats.exitedByReason.removed, 1);
    assert.equal(stats.messagesSent, 2);
    assert.equal(stats.messagesByStatus.cancelled, 1);
    assert.equal(stats.emailsSent, 2);
    assert.equal(stats.openRate, 0);
    // An open and a click through the real tracking links count.
    const sent = (await messagesOf([artist.id])).filter((m) => m.status === 'sent');
    const html = sent[0]!.bodyHtml!;
    const pixel = /<img src="http:\/\/app\.mona\.test(\/api\/t\/o\/[^"]+)"/.exec(html)![1]!;
    assert.equal((await call()('GET', pixel)).statusCode, 200);
    const stats2 = (await call()('GET', `/api/sequences/${sequenceId}/stats`, s.staff)).json();
    assert.equal(stats2.opened, 1);
    assert.equal(stats2.openRate, 0.5);

    // A draft or paused sequence takes nobody.
    const { id: draftId } = await makeSequence([0], 'draft');
    assert.equal((await call()('POST', `/api/sequences/${draftId}/enrolments`, s.staff, { artistId: artist.id })).statusCode, 409);
  });

  test('pause holds enrolments; resume moves them by the pause: the step missed during the pause is sent once, spacing kept', async () => {
    const start = new Date('2026-12-03T09:00:00Z');
    clock.set(start);
    // Steps at D0, +1d and +2d.
    const { id: sequenceId } = await makeSequence([0, 1440, 2880]);
    const artist = await createArtist(s.system, s.staff, { email: `pause-${n}@example.com` });
    assert.equal((await call()('POST', `/api/sequences/${sequenceId}/enrolments`, s.staff, { artistId: artist.id })).statusCode, 201);
    await tickAndDispatch(s.system);
    const mails = () => s.smtp.mails.filter((m) => m.to === artist.email);
    assert.equal(mails().length, 1);

    // Paused after 12 h, for a whole day: the +1d step falls due inside the pause and is held.
    clock.set(new Date(start.getTime() + 12 * HOUR));
    const paused = await call()('PATCH', `/api/sequences/${sequenceId}`, s.staff, { status: 'paused' });
    assert.equal(paused.json().status, 'paused');
    assert.equal(paused.json().pausedAt, clock.now().toISOString());
    assert.equal((await call()('POST', `/api/sequences/${sequenceId}/enrolments`, s.staff, { artistId: artist.id })).statusCode, 409);
    clock.set(new Date(start.getTime() + 30 * HOUR));
    await tickAndDispatch(s.system);
    assert.equal(mails().length, 1, 'nothing while paused');
    clock.set(new Date(start.getTime() + 36 * HOUR));
    const resumed = await call()('PATCH', `/api/sequences/${sequenceId}`, s.staff, { status: 'active' });
    assert.equal(resumed.json().status, 'active');
    assert.equal(resumed.json().pausedAt, null);
    const [row] = await db().select().from(sequenceEnrolments).where(eq(sequenceEnrolments.artistId, artist.id));
    assert.equal(row!.startedAt.toISOString(), new Date(start.getTime() + DAY).toISOString(), 'the start moved by the pause (24 h)');
    assert.equal(row!.nextRunAt!.toISOString(), new Date(start.getTime() + 2 * DAY).toISOString());

    // The held step comes 12 h after the resume (as it was 12 h after the pause began), once; the last a day later.
    await tickAndDispatch(s.system);
    assert.equal(mails().length, 1);
    clock.set(new Date(start.getTime() + 2 * DAY));
    await tickAndDispatch(s.system);
    await tickAndDispatch(s.system);
    assert.equal(mails().length, 2);
    clock.set(new Date(start.getTime() + 3 * DAY));
    await tickAndDispatch(s.system);
    assert.deepEqual(
      mails().map((m) => m.at.toISOString()),
      [start, new Date(start.getTime() + 2 * DAY), new Date(start.getTime() + 3 * DAY)].map((d) => d.toISOString()),
    );
    const messages = await messagesOf([artist.id]);
    assert.deepEqual(
      messages.map((m) => [m.stepPosition, m.status, m.attempts]),
      [
        [0, 'sent', 1],
        [1, 'sent', 1],
        [2, 'sent', 1],
      ],
    );
    // Resuming twice, or pausing again and resuming at once, shifts nothing more.
    assert.equal((await call()('PATCH', `/api/sequences/${sequenceId}`, s.staff, { status: 'active' })).statusCode, 200);
  });

  test('two ticks at once compose each step once, and two dispatchers send each message once', async () => {
    const start = new Date('2026-12-08T09:00:00Z');
    clock.set(start);
    const { id: sequenceId } = await makeSequence([0, 30]);
    const people = [];
    for (let i = 0; i < 12; i++) people.push(await createArtist(s.system, s.staff, { email: `crowd-${n}-${i}@example.com` }));
    for (const p of people) assert.equal((await call()('POST', `/api/sequences/${sequenceId}/enrolments`, s.staff, { artistId: p.id })).statusCode, 201);
    const { sequenceEngine } = s.system.ctx.services;
    const { dispatcher } = s.system.ctx.notifications;
    // A run bounded to 5 steps leaves the rest for the next runs.
    assert.equal((await sequenceEngine.tick({ limit: 5 })).composed, 5);
    const [t1, t2] = await Promise.all([sequenceEngine.tick(), sequenceEngine.tick()]);
    assert.equal(t1.composed + t2.composed, 7, 'each remaining enrolment taken by exactly one tick');
    assert.equal(t1.failed + t2.failed, 0);
    await Promise.all([dispatcher.drain(), dispatcher.drain()]);
    clock.set(new Date(start.getTime() + 30 * MIN));
    await Promise.all([sequenceEngine.tick(), sequenceEngine.tick(), sequenceEngine.tick()]);
    await Promise.all([dispatcher.drain(), dispatcher.drain()]);
    const addresses = new Set(people.map((p) => p.email));
    const received = s.smtp.mails.filter((m) => addresses.has(m.to));
    assert.equal(received.length, 24);
    assert.equal(new Set(received.map((m) => m.messageId)).size, 24);
    for (const p of people) assert.equal(received.filter((m) => m.to === p.email).length, 2, p.email!);
    const messages = await messagesOf(people.map((p) => p.id));
    assert.equal(messages.length, 24);
    assert.ok(messages.every((m) => m.status === 'sent' && m.attempts === 1));
  });

  test('events: tier change to spark_ready enrols (once, even handled twice); a stage move exits; unsubscribing exits', async () => {
    clock.set(new Date('2026-12-09T09:00:00Z'));
    // The scoring service records this event when a score crosses the SPARK-ready threshold.
    const tierChanged = (artistId: string) =>
      db().transaction((tx) =>
        s.system.ctx.events.record(tx, 'artist.tier_changed', artistId, {
          artistId,
          oldTier: 'premium',
          newTier: 'spark_ready',
          oldTotal: 85,
          newTotal: 95,
          reason: 'test',
        }),
      );
    const a = await createArtist(s.system, s.staff, { email: `spark-a-${n}@example.com` });
    const b = await createArtist(s.system, s.staff, { email: `spark-b-${n}@example.com` });
    for (const artist of [a, b]) {
      await tierChanged(artist.id);
      await runEventJob(s.system, 'artist.tier_changed', artist.id, 2);
    }
    const spark = (await call()('GET', '/api/sequences', s.staff)).json().items.find((q: { code: string }) => q.code === 'spark_ready_invitation');
    const enrolments = async () =>
      (
        (await call()('GET', `/api/sequences/${spark.id}/enrolments`, s.staff)).json().items as {
          artistId: string;
          status: string;
          exitReason: string | null;
        }[]
      ).filter((e) => e.artistId === a.id || e.artistId === b.id);
    assert.equal((await enrolments()).length, 2);
    assert.ok((await enrolments()).every((e) => e.status === 'active'));
    // D0 email and in-app (no account: skipped) for both.
    await tickAndDispatch(s.system);
    assert.ok(s.smtp.mails.some((m) => m.to === a.email && /vous êtes prêt·e pour SPARK/.test(m.subject)));

    // a moves to the next pipeline stage: their SPARK invitation ends.
    assert.equal((await call()('POST', `/api/artists/${a.id}/stage`, s.staff, { to: 'checkup' })).statusCode, 200);
    await runEventJob(s.system, 'artist.stage_changed', a.id, 2);
    // b withdraws consent through the real unsubscribe link of the email they received.
    const message = (await messagesOf([b.id])).find((m) => m.channel === 'email')!;
    const unsubscribe = /http:\/\/app\.mona\.test(\/api\/unsubscribe\/[^"]+)"/.exec(message.bodyHtml!)![1]!;
    assert.equal((await call()('POST', unsubscribe)).statusCode, 200);
    await runEventJob(s.system, 'artist.unsubscribed', b.id, 2);
    const ended = await enrolments();
    assert.deepEqual(ended.find((e) => e.artistId === a.id)!.exitReason, 'stage_changed');
    assert.deepEqual(ended.find((e) => e.artistId === b.id)!.exitReason, 'unsubscribed');
    // Nothing more for either, up to D21.
    clock.set(new Date('2027-01-01T10:00:00Z'));
    await tickAndDispatch(s.system);
    assert.deepEqual((await messagesOf([a.id, b.id])).map((m) => m.templateCode).sort(), [
      'spark.d0.email',
      'spark.d0.email',
      'spark.d0.inapp',
      'spark.d0.inapp',
    ]);
  });

  test('the daily inactivity run enrols artists idle for the configured days, not twice in that period', async () => {
    const winBack = (await call()('GET', '/api/sequences', s.staff)).json().items.find((q: { code: string }) => q.code === 'win_back');
    // Records are created now (database time); the simulated clock is 61 days later.
    const idle = await createArtist(s.system, s.staff, { email: `idle-${n}@example.com` });
    const replied = await createArtist(s.system, s.staff, { email: `replied-${n}@example.com` });
    const archived = await createArtist(s.system, s.staff, { email: `archived-${n}@example.com` });
    const unreachable = await createArtist(s.system, s.staff, {});
    await db().update(artists).set({ archivedAt: new Date() }).where(eq(artists.id, archived.id));
    clock.set(new Date(Date.now() + 61 * DAY));
    assert.equal((await call()('POST', `/api/artists/${replied.id}/engagement`, s.staff, { kind: 'reply' })).statusCode, 200);

    const job = s.system.ctx.registry.require(sequenceInactivityJob.name);
    assert.equal(job.family, 'notifications');
    assert.equal(job.everyMs, DAY);
    const run = () => job.handler({}, { jobId: 'test', attempt: 1, logger: s.system.ctx.platform.logger, requestId: undefined });
    const mine = async () =>
      (
        (await call()('GET', `/api/sequences/${winBack.id}/enrolments?limit=500`, s.staff)).json().items as { id: string; artistId: string; status: string }[]
      ).filter((e) => [idle.id, replied.id, archived.id, unreachable.id].includes(e.artistId));
    await run();
    await run();
    let enrolled = await mine();
    assert.deepEqual(
      enrolled.map((e) => e.artistId),
      [idle.id],
    );
    // Removed by staff, then the next day's run: not again within 60 days of the start.
    assert.equal((await call()('DELETE', `/api/sequences/${winBack.id}/enrolments/${enrolled[0]!.id}`, s.staff)).statusCode, 200);
    clock.set(new Date(clock.now().getTime() + DAY));
    await run();
    assert.equal((await mine()).length, 1);
    // Sixty more days: both idle ones start again.
    clock.set(new Date(clock.now().getTime() + 60 * DAY));
    await run();
    enrolled = await mine();
    assert.deepEqual(
      enrolled
        .filter((e) => e.status === 'active')
        .map((e) => e.artistId)
        .sort(),
      [idle.id, replied.id].sort(),
    );
  });

  test('the jobs: the event job subscribes to its five events, and a real worker handles one dispatched through the outbox', async () => {
    const { registry, queue, platform, events } = s.system.ctx;
    for (const event of SEQUENCE_EVENTS) assert.ok(registry.subscribersOf(event).includes(sequenceEventJob.name), event);
    assert.deepEqual([registry.require(sequenceTickJob.name).family, registry.require(sequenceTickJob.name).everyMs], ['notifications', 30_000]);
    const workers = queue.startWorkers(['notifications'], { logger: platform.logger, concurrency: 1 });
    try {
      clock.set(new Date('2027-02-02T09:00:00Z'));
      const artist = await createArtist(s.system, s.staff, { email: `worker-${n}@example.com` });
      const payload = { artistId: artist.id, oldTier: 'premium', newTier: 'spark_ready', oldTotal: 85, newTotal: 95, reason: 'test' } as const;
      const eventId = await db().transaction((tx) => events.record(tx, 'artist.tier_changed', artist.id, payload));
      await events.dispatch([eventId]);
      const enrolment = await until('the worker enrolled the artist', async () => {
        const rows = await db().select().from(sequenceEnrolments).where(eq(sequenceEnrolments.artistId, artist.id));
        return rows[0];
      });
      assert.equal(enrolment.startedAt.toISOString(), '2027-02-02T09:00:00.000Z');
      assert.equal(enrolment.triggerEventId, eventId);
    } finally {
      await workers.stop(5000);
    }
  });
});
