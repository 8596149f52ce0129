import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { markdownToText, pickContent, renderMessage, TemplateError } from './render.ts';
import { TrackingLinks, TrackingSigner } from './tracking.ts';

const contents = [
  { locale: 'fr', subject: 'Bienvenue {{name}}', body: 'Bonjour **{{name}}**,\n\nDécouvrez [votre espace]({{link}}).' },
  { locale: 'en', subject: 'Welcome {{name}}', body: 'Hello **{{name}}**,\n\nSee [your space]({{link}}).' },
];

describe('templates', () => {
  test('the wording is picked in the recipient’s locale, else French', () => {
    assert.equal(pickContent(contents, 'en')!.locale, 'en');
    assert.equal(pickContent(contents, 'fr')!.locale, 'fr');
    assert.equal(pickContent(contents, 'de')!.locale, 'fr');
    assert.equal(pickContent([contents[1]!], 'fr')!.locale, 'en');
    assert.equal(pickContent([], 'fr'), undefined);
  });

  test('French and English emails: subject, plain text and HTML in the branded layout', () => {
    for (const content of contents) {
      const out = renderMessage({
        channel: 'email',
        kind: 'activity',
        locale: content.locale,
        subject: content.subject,
        body: content.body,
        variables: { name: 'Nina', link: 'https://app.example/portal' },
      });
      const fr = content.locale === 'fr';
      assert.equal(out.subject, fr ? 'Bienvenue Nina' : 'Welcome Nina');
      assert.match(out.text, fr ? /^Bonjour Nina,\n\nDécouvrez votre espace \(https:\/\/app\.example\/portal\)\./ : /^Hello Nina,/);
      assert.match(out.html!, new RegExp(`<html lang="${content.locale}"`));
      assert.match(out.html!, /<strong>Nina<\/strong>/);
      assert.match(out.html!, /<a href="https:\/\/app\.example\/portal" style="[^"]+">/);
      assert.match(out.html!, /MONA × SPARK/);
      assert.match(out.text, fr ? /Vous recevez ce message/ : /You are receiving this message/);
      // No remote resources besides our own pixel (none here): no external fonts, stylesheets or images.
      assert.doesNotMatch(out.html!, /<link|@import|<img|<script/);
      assert.deepEqual(out.headers, {}, 'activity emails carry no List-Unsubscribe');
    }
  });

  test('variables are literal text: no HTML, no Markdown links, no autolinks', () => {
    const out = renderMessage({
      channel: 'email',
      kind: 'activity',
      locale: 'en',
      subject: 'Hi {{name}}',
      body: 'Hello {{name}}!',
      variables: { name: '<script>alert(1)</script> [win](https://evil.example) **bold** https://evil.example &amp;' },
    });
    assert.doesNotMatch(out.html!, /<script>/);
    assert.match(out.html!, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(out.html!, /href="https:\/\/evil/, 'no link from a variable');
    assert.doesNotMatch(out.html!, /<strong>bold/);
    assert.match(out.html!, /&amp;amp;/, 'an entity in a value is shown as typed');
    assert.match(out.text, /Hello <script>alert\(1\)<\/script> \[win\]\(https:\/\/evil\.example\) \*\*bold\*\* https:\/\/evil\.example &amp;!/);
    assert.equal(out.subject, 'Hi <script>alert(1)</script> [win](https://evil.example) **bold** https://evil.example &amp;');
    // The subject inside the HTML <title> is escaped too.
    assert.match(out.html!, /<title>Hi &lt;script&gt;/);
  });

  test('raw HTML in a template body is shown as text, never rendered', () => {
    const out = renderMessage({
      channel: 'email',
      kind: 'transactional',
      locale: 'fr',
      subject: 's',
      body: 'A <b>bold</b> <img src="https://x/y.png">',
      variables: {},
    });
    assert.match(out.html!, /A &lt;b&gt;bold&lt;\/b&gt; &lt;img/);
  });

  test('a multi-line subject becomes one line; an unknown variable is empty; a broken template is a TemplateError', () => {
    const out = renderMessage({ channel: 'sms', kind: 'activity', locale: 'fr', subject: 'a\n  b', body: 'Salut {{who}}.', variables: {} });
    assert.equal(out.subject, 'a b');
    assert.equal(out.text, 'Salut .');
    assert.equal(out.html, null);
    assert.throws(() => renderMessage({ channel: 'email', kind: 'activity', locale: 'fr', subject: 's', body: 'Hello {{#if}}', variables: {} }), TemplateError);
  });

  test('a marketing email has the unsubscribe link in both parts and the RFC 8058 one-click headers; tracked links and pixel', () => {
    const links = new TrackingLinks(new TrackingSigner('secret-secret-secret-secret-secret'), 'https://app.example:8443/anything');
    const id = randomUUID();
    const artistId = randomUUID();
    const unsubscribe = links.unsubscribe(artistId, id);
    const out = renderMessage({
      channel: 'email',
      kind: 'marketing',
      locale: 'fr',
      subject: 'Nouveau',
      body: 'Voir [l’offre](https://mona.example/offre?x=1&y=2) et https://mona.example/autre, ou [écrire](mailto:hello@mona.example).',
      variables: {},
      links: { click: (url) => links.click(id, url), openPixel: links.openPixel(id), unsubscribe },
    });
    assert.equal(out.headers['List-Unsubscribe'], `<${unsubscribe}>`);
    assert.equal(out.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.ok(unsubscribe.startsWith('https://app.example:8443/api/unsubscribe/'));
    assert.ok(out.text.includes(unsubscribe), 'plain text shows the unsubscribe link');
    assert.ok(out.html!.includes(`href="${unsubscribe}"`), 'HTML shows the unsubscribe link');
    assert.match(out.html!, /Se désinscrire/);
    // Every http(s) link goes through the signed redirect; mailto stays as it is.
    const hrefs = [...out.html!.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    const tracked = hrefs.filter((h) => h.includes('/api/t/c/'));
    assert.equal(tracked.length, 2);
    const targets = tracked.map((h) => links.signer.verify(h.split('/api/t/c/')[1]!));
    assert.deepEqual(
      targets.map((t) => (t?.kind === 'click' ? t.url : null)),
      ['https://mona.example/offre?x=1&y=2', 'https://mona.example/autre'],
    );
    assert.ok(hrefs.includes('mailto:hello@mona.example'));
    assert.equal(out.text.match(/\/api\/t\/c\//g)?.length, 2, 'the plain-text links are tracked too');
    // The open pixel: one 1×1 image, our own URL.
    const images = [...out.html!.matchAll(/<img src="([^"]+)" width="1" height="1" alt=""/g)];
    assert.equal(images.length, 1);
    assert.equal(links.signer.verify(images[0]![1]!.split('/api/t/o/')[1]!)?.kind, 'open');
  });

  test('a marketing email without an unsubscribe link is refused', () => {
    assert.throws(() => renderMessage({ channel: 'email', kind: 'marketing', locale: 'fr', subject: 's', body: 'b', variables: {} }), /unsubscribe/);
  });

  test('plain text of Markdown: lists, headings, quotes, code', () => {
    assert.equal(
      markdownToText('# Title\n\n1. one\n2. two\n\n- a\n- b\n\n> quoted\n\nuse `npm start`'),
      'Title\n\n1. one\n2. two\n\n- a\n- b\n\n> quoted\n\nuse npm start',
    );
  });
});

describe('tracking tokens', () => {
  const signer = new TrackingSigner('a-secret-of-the-deployment-123456');

  test('a token verifies as what was signed', () => {
    const messageId = randomUUID();
    assert.deepEqual(signer.verify(signer.sign({ kind: 'open', messageId })), { kind: 'open', messageId });
    assert.deepEqual(signer.verify(signer.sign({ kind: 'click', messageId, url: 'https://x.example/a' })), {
      kind: 'click',
      messageId,
      url: 'https://x.example/a',
    });
    assert.deepEqual(signer.verify(signer.sign({ kind: 'unsubscribe', artistId: messageId, messageId: null })), {
      kind: 'unsubscribe',
      artistId: messageId,
      messageId: null,
    });
  });

  test('altered, foreign or malformed tokens are refused', () => {
    const token = signer.sign({ kind: 'click', messageId: randomUUID(), url: 'https://x.example/a' });
    const [data, mac] = token.split('.') as [string, string];
    const forgedData = Buffer.from(Buffer.from(data, 'base64url').toString().replace('x.example', 'evil.example')).toString('base64url');
    assert.equal(signer.verify(`${forgedData}.${mac}`), null, 'another URL with the same MAC');
    assert.equal(signer.verify(`${data}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`), null, 'another MAC');
    assert.equal(new TrackingSigner('another-secret-of-another-deployment').verify(token), null, 'another deployment');
    for (const bad of ['', 'x', `${data}`, `${data}.`, `${data}.${mac}.x`, 'a'.repeat(5000)]) assert.equal(signer.verify(bad), null, bad);
    // A well-signed token of something that is not a redirect target is refused too.
    assert.equal(signer.verify(signer.sign({ kind: 'click', messageId: randomUUID(), url: 'javascript:alert(1)' })), null);
  });
});
