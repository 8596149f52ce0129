import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artistsApi, sessions, uniqueName, type ArtistJson } from './artists.test-helpers.ts';

type ImportResult = { imported: number; errors: { line: number; reason: string }[] };

/** The fields an export → import round trip must keep. */
const editable = (a: ArtistJson) => ({
  stageName: a.stageName,
  genres: a.genres,
  city: a.city,
  bio: a.bio,
  phone: a.phone,
  links: a.links,
  consentMarketing: a.consentMarketing,
  consentAnalytics: a.consentAnalytics,
  ndaSignedAt: a.ndaSignedAt,
  stage: a.stage,
  assigneeId: a.assigneeId,
});

describe('artists CSV export and import', () => {
  let system: TestSystem;
  let api: ReturnType<typeof artistsApi>;
  let s: Awaited<ReturnType<typeof sessions>>;
  before(async () => {
    system = await startTestSystem();
    api = artistsApi(system);
    s = await sessions(system);
  });
  after(async () => system.close());

  const importCsv = (csv: string) => api.call('POST', '/api/artists/import', s.staff.accessToken, { csv });
  const exportCsv = (query: string) => api.call('GET', `/api/artists/export.csv?${query}`, s.staff.accessToken);
  const inCity = async (city: string) => {
    const res = await api.list(s.staff.accessToken, `city=${encodeURIComponent(city)}&limit=100&sort=stageName&order=asc`);
    return res.json<{ items: ArtistJson[] }>().items;
  };

  test('export, then import the file back: every field survives, emails are not duplicated', async () => {
    const city = 'Exportville';
    const originals = [
      await api.make(s.staff.accessToken, {
        stageName: 'A "quoted", comma artist',
        genres: ['Hip Hop', 'jazz'],
        city,
        bio: 'Line one\nLine two, with a comma',
        email: 'a-export@example.com',
        phone: '+33 6 00 00 00 01',
        links: { instagram: { handle: '@a', url: 'https://instagram.com/a' }, youtube: { url: 'https://youtube.com/@a' }, twitch: { handle: 'a_live' } },
        consentMarketing: true,
        consentAnalytics: true,
        ndaSignedAt: '2024-06-01T12:30:00.000Z',
        assigneeId: s.staff.id,
        stage: 'prescription',
      }),
      await api.make(s.staff.accessToken, { stageName: '=HYPERLINK("http://evil")', city, genres: [], email: 'b-export@example.com' }),
      await api.make(s.staff.accessToken, { stageName: 'Çà et là', city, bio: 'Accents éàü' }),
    ];

    const res = await exportCsv(`city=${city}&sort=stageName&order=asc`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="artists.csv"/);
    const rows = parse<Record<string, string>>(res.body, { columns: true, bom: true });
    assert.equal(rows.length, 3);
    const header = res.body.replace(/^\uFEFF/, '').split('\n')[0]!;
    assert.match(header, /^id,stageName,genres,city,bio,email,phone,instagram,instagramHandle,tiktok,tiktokHandle,youtube,/);
    const first = rows.find((r) => r.id === originals[0]!.id)!;
    assert.equal(first.genres, 'hip hop|jazz');
    assert.equal(first.instagram, 'https://instagram.com/a');
    assert.equal(first.instagramHandle, '@a');
    assert.equal(first.twitchHandle, 'a_live');
    assert.equal(first.bio, 'Line one\nLine two, with a comma');
    // Cells a spreadsheet would run as formulas are quoted.
    assert.equal(rows.find((r) => r.id === originals[1]!.id)!.stageName, `'=HYPERLINK("http://evil")`);
    assert.equal(first.phone, `'+33 6 00 00 00 01`);

    // Importing the same file again: the rows with an email are reported, the one without is a new record.
    const again = await importCsv(res.body);
    assert.equal(again.statusCode, 200, again.body);
    const result = again.json<ImportResult>();
    assert.equal(result.imported, 1);
    assert.equal(result.errors.length, 2);
    assert.ok(result.errors.every((e) => /email/.test(e.reason)));
    assert.equal((await inCity(city)).length, 4);

    // Into a fresh city with new emails, every editable field comes back as it was.
    const copy = res.body.replaceAll('Exportville', 'Copyville').replaceAll('-export@', '-copy@');
    const imported = await importCsv(copy);
    assert.deepEqual(imported.json(), { imported: 3, errors: [] });
    const copies = await inCity('Copyville');
    const byName = new Map(copies.map((a) => [a.stageName, a]));
    for (const original of originals) {
      const twin = byName.get(original.stageName);
      assert.ok(twin, original.stageName);
      assert.notEqual(twin.id, original.id);
      assert.deepEqual(editable(twin), { ...editable(original), city: 'Copyville' });
      assert.equal(twin.email, original.email?.replace('-export@', '-copy@') ?? null);
    }
    // Each imported row entered the pipeline at its stage.
    const history = await api.history(s.staff.accessToken, byName.get(originals[0]!.stageName)!.id);
    assert.deepEqual(
      history.json().moves.map((m: { fromStage: string | null; toStage: string; reason: string }) => [m.fromStage, m.toStage, m.reason]),
      [[null, 'prescription', 'imported from CSV']],
    );
  });

  test('bad rows are reported with their line (the header is line 1) and the good rows are kept', async () => {
    const city = 'Importville';
    const good1 = uniqueName('Good');
    const good2 = uniqueName('Good');
    const good3 = uniqueName('Good');
    const csv = [
      'stageName,genres,city,bio,email,consentMarketing,stage,instagram',
      `${good1},rap|Soul,${city},,good1@example.com,yes,,https://instagram.com/g1`, // line 2
      `,rap,${city},,,,,`, // 3: no stage name
      `${uniqueName('Bad')},rap,${city},,not-an-email,,,`, // 4
      `${good2},,${city},"two`, // 5
      `lines",,true,checkup,`, // 6: the end of the record that started on line 5
      `${uniqueName('Bad')},a|b|c|d|e|f,${city},,,maybe,famous,ftp://x`, // 7: several problems
      `${uniqueName('Bad')},${city}`, // 8: too few cells
      `${uniqueName('Bad')},,${city},,GOOD1@example.com,,,`, // 9: the email of line 2
      '', // blank lines are skipped
      `${good3},,${city},,,,,`, // 11
    ].join('\n');
    const res = await importCsv(csv);
    assert.equal(res.statusCode, 200, res.body);
    const result = res.json<ImportResult>();
    assert.equal(result.imported, 3);
    assert.deepEqual(
      result.errors.map((e) => e.line),
      [3, 4, 7, 8, 9],
    );
    const reasons = new Map(result.errors.map((e) => [e.line, e.reason]));
    assert.match(reasons.get(3)!, /stageName/);
    assert.match(reasons.get(4)!, /email/);
    for (const field of ['genres', 'consentMarketing', 'stage', 'links.instagram.url']) assert.match(reasons.get(7)!, new RegExp(field));
    assert.match(reasons.get(8)!, /Expected 8 cells, found 2/);
    assert.match(reasons.get(9)!, /email/);

    const kept = await inCity(city);
    assert.deepEqual(kept.map((a) => a.stageName).sort(), [good1, good2, good3].sort());
    const g1 = kept.find((a) => a.stageName === good1)!;
    assert.deepEqual(g1.genres, ['rap', 'soul']);
    assert.equal(g1.consentMarketing, true);
    assert.deepEqual(g1.links, { instagram: { url: 'https://instagram.com/g1' } });
    const g2 = kept.find((a) => a.stageName === good2)!;
    assert.equal(g2.bio, 'two\nlines');
    assert.equal(g2.consentMarketing, true);
    assert.equal(g2.stage, 'checkup');
  });

  test('a file that is not readable CSV, or names unknown columns, is refused whole', async () => {
    const name = uniqueName('Never');
    for (const csv of [`stageName,colour\n${name},red`, `stageName,bio\n${name},"unclosed`, `bio\nno stage name column`, `stageName,stageName\n${name},x`]) {
      const res = await importCsv(csv);
      assert.equal(res.statusCode, 400, csv);
      assert.equal(res.json().error.code, 'validation_failed');
    }
    assert.deepEqual((await api.list(s.staff.accessToken, `q=${encodeURIComponent(name)}&archived=all`)).json().items, []);
    assert.equal((await api.call('POST', '/api/artists/import', s.staff.accessToken, { csv: '', extra: 1 })).statusCode, 400);
  });

  test('the import route takes bodies over the general limit, up to 5 MiB', async () => {
    // Over the default 1 MiB limit: accepted, and the oversized cell is reported on its row.
    const big = `stageName,bio\n${uniqueName('Big')},${'x'.repeat(1_200_000)}`;
    const res = await importCsv(big);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json<ImportResult>().errors[0]?.line, 2);
    const tooBig = await importCsv(`stageName,bio\nX,${'x'.repeat(5 * 1024 * 1024)}`);
    assert.equal(tooBig.statusCode, 413);
  });
});
