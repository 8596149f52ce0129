import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import {
  composeResultSchema,
  engagementBody,
  engagementRecordResponse,
  engagementResponse,
  idParams,
  listMessagesQuery,
  listOutboxQuery,
  messageDetailSchema,
  messageListResponse,
  outboxDetailSchema,
  outboxListResponse,
  preferencesSchema,
  sendMessageBody,
  tokenParams,
  updatePreferencesBody,
} from './notifications.schemas.ts';
import { escapeHtml } from './render.ts';

/** A transparent 1×1 GIF. */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const PAGE_WORDS = {
  fr: {
    title: 'Désinscription',
    ask: (name: string) => `Ne plus envoyer d'e-mails marketing à ${name} ?`,
    explain: 'Vous continuerez à recevoir les messages liés à votre compte et à vos commandes.',
    button: 'Me désinscrire',
    done: (name: string) => `C'est fait : ${name} ne recevra plus nos e-mails marketing.`,
    already: (name: string) => `${name} est déjà désinscrit·e de nos e-mails marketing.`,
    again: 'Vous pouvez redonner votre accord à tout moment depuis votre espace.',
  },
  en: {
    title: 'Unsubscribe',
    ask: (name: string) => `Stop sending marketing emails to ${name}?`,
    explain: 'You will still receive messages about your account and your orders.',
    button: 'Unsubscribe me',
    done: (name: string) => `Done: ${name} will not receive our marketing emails any more.`,
    already: (name: string) => `${name} is already unsubscribed from our marketing emails.`,
    again: 'You can give your consent again at any time from your space.',
  },
} as const;

/** The unsubscribe page in both languages (the message's language first): a question with a button, or the confirmation. */
export function unsubscribePage(state: { name: string; locale: 'fr' | 'en'; view: 'ask' | 'done' | 'already' }): string {
  const name = escapeHtml(state.name);
  const order = state.locale === 'en' ? (['en', 'fr'] as const) : (['fr', 'en'] as const);
  const section = (lang: 'fr' | 'en') => {
    const w = PAGE_WORDS[lang];
    const text = state.view === 'ask' ? `${w.ask(name)}</p><p>${w.explain}` : state.view === 'done' ? `${w.done(name)}</p><p>${w.again}` : w.already(name);
    return `<section lang="${lang}"><h1>${w.title}</h1><p>${text}</p></section>`;
  };
  const button =
    state.view === 'ask' ? `<form method="post"><button type="submit">${PAGE_WORDS[order[0]].button} · ${PAGE_WORDS[order[1]].button}</button></form>` : '';
  return `<!DOCTYPE html>
<html lang="${order[0]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>MONA × SPARK · ${PAGE_WORDS[order[0]].title}</title>
<style>
body{margin:0;background:#f4f1ec;color:#1f1f1f;font:16px/1.6 Arial,Helvetica,sans-serif}
main{max-width:560px;margin:48px auto;background:#fff;border-radius:8px;padding:32px}
header{font-weight:700;letter-spacing:2px;margin-bottom:24px}
h1{font-size:22px;margin:0 0 8px}
section+section{border-top:1px solid #e5e0d8;margin-top:24px;padding-top:16px}
button{font:inherit;font-weight:700;color:#fff;background:#7a2e8a;border:0;border-radius:6px;padding:12px 20px;cursor:pointer}
button:focus-visible{outline:3px solid #151515;outline-offset:2px}
</style>
</head>
<body>
<main>
<header>MONA × SPARK</header>
${section(order[0])}
${button}
${section(order[1])}
</main>
</body>
</html>
`;
}

/** Notifications: the staff message log and outbox, preferences, one-off messages, tracking, unsubscribe, engagement. */
export const notificationsRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { notifications } = ctx.services;
    const tags = ['notifications'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');

    // One-click unsubscribe (RFC 8058) posts a form body; its content is not needed, only accepted.
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data']) {
      app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => done(null, body));
    }

    app.get(
      '/api/notifications/messages',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'The message log, newest first, with filters and search (team)',
          querystring: listMessagesQuery,
          response: { 200: messageListResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => notifications.listMessages(callerOf(request), request.query),
    );

    app.get(
      '/api/notifications/messages/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'One message with its content and status history (team)',
          params: idParams,
          response: { 200: messageDetailSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => notifications.getMessage(callerOf(request), request.params.id),
    );

    app.post(
      '/api/notifications/messages/:id/retry',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Send a failed message again, as a new message (team)',
          description:
            'A failed message stays failed; the retry is a new message composed again from the same template, recipient and variables ' +
            '(data.retryOf names the original), so consent and preferences are checked anew. Retrying the same message twice returns the first retry (200). ' +
            'A message that is not failed is 409.',
          params: idParams,
          response: { 201: composeResultSchema, 200: composeResultSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const result = await notifications.retry(callerOf(request), request.params.id);
        return reply.status(result.created ? 201 : 200).send(result);
      },
    );

    app.get(
      '/api/notifications/outbox',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'The local outbox: emails and SMS kept instead of sent when no SMTP server or SMS provider is configured (team)',
          querystring: listOutboxQuery,
          response: { 200: outboxListResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => notifications.listOutbox(callerOf(request), request.query),
    );

    app.get(
      '/api/notifications/outbox/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'One outbox entry with its raw content: the RFC 5322 source of an email, the text of an SMS (team)',
          params: idParams,
          response: { 200: outboxDetailSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => notifications.getOutbox(callerOf(request), request.params.id),
    );

    app.get(
      '/api/me/notification-preferences',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'My notification preferences: channels × kinds, quiet hours, time zone, and my marketing consent when I am an artist',
          response: { 200: preferencesSchema, ...errors(401) },
        },
      },
      async (request) => notifications.getPreferences(callerOf(request)),
    );

    app.put(
      '/api/me/notification-preferences',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'Change my notification preferences',
          description:
            'Transactional messages (password, security, receipts) cannot be turned off. Withdrawing marketingConsent cancels pending marketing messages.',
          body: updatePreferencesBody,
          response: { 200: preferencesSchema, ...errors(400, 401) },
        },
      },
      async (request) => notifications.updatePreferences(callerOf(request), request.body),
    );

    app.post(
      '/api/artists/:id/messages',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Send a message to an artist from a template (team)',
          description:
            "The template's channel and kind apply, with the usual rules: marketing needs the artist's consent and waits for a send window, " +
            'preferences and quiet hours are respected, a missing address makes it skipped (with the reason). 201 when created; 200 when idempotencyKey named an existing message.',
          params: idParams,
          body: sendMessageBody,
          response: { 201: composeResultSchema, 200: composeResultSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const result = await notifications.sendToArtist(callerOf(request), request.params.id, request.body);
        return reply.status(result.created ? 201 : 200).send(result);
      },
    );

    app.get(
      '/api/artists/:id/engagement',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "An artist's engagement score and events: opens (+1), clicks (+3), logins (+5), replies (+10), unsubscribes (−20) (team)",
          params: idParams,
          response: { 200: engagementResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => notifications.engagementHistory(callerOf(request), request.params.id),
    );

    app.post(
      '/api/artists/:id/engagement',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "Record an artist's reply (+10 engagement) (team)",
          params: idParams,
          body: engagementBody,
          response: { 200: engagementRecordResponse, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => notifications.recordEngagement(callerOf(request), request.params.id, request.body),
    );

    // ---- Links inside messages: no sign-in, signed tokens ----

    app.get(
      '/api/t/o/:token',
      {
        schema: {
          tags,
          summary: 'Open pixel of an email: records the first open (+1 engagement)',
          params: tokenParams,
          response: {
            200: { description: 'A transparent 1×1 GIF', content: { 'image/gif': { schema: z.string().meta({ format: 'binary' }) } } },
            ...errors(400, 404),
          },
        },
      },
      async (request, reply) => {
        await notifications.recordOpen(request.params.token);
        return reply.type('image/gif').header('cache-control', 'no-store, max-age=0').send(PIXEL_GIF);
      },
    );

    app.get(
      '/api/t/c/:token',
      {
        schema: {
          tags,
          summary: 'Tracked link of an email: records the first click (+3 engagement) and redirects to the link',
          description: 'The target is inside the signed token: an altered token is 404, never a redirect.',
          params: tokenParams,
          response: { 302: z.null().describe('Redirect to the link (Location header)'), ...errors(400, 404) },
        },
      },
      async (request, reply) => {
        const url = await notifications.recordClick(request.params.token);
        return reply.header('cache-control', 'no-store, max-age=0').redirect(url, 302);
      },
    );

    const htmlPage = { description: 'A bilingual HTML page', content: { 'text/html': { schema: z.string() } } };

    app.get(
      '/api/unsubscribe/:token',
      {
        schema: {
          tags,
          summary: 'The unsubscribe page of a marketing email: asks for confirmation (changes nothing by itself)',
          params: tokenParams,
          response: { 200: htmlPage, ...errors(400, 404) },
        },
      },
      async (request, reply) => {
        const state = await notifications.unsubscribeState(request.params.token);
        const page = unsubscribePage({ name: state.name, locale: state.locale, view: state.subscribed ? 'ask' : 'already' });
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
      },
    );

    app.post(
      '/api/unsubscribe/:token',
      {
        schema: {
          tags,
          summary: 'Unsubscribe from marketing emails: one-click (RFC 8058, List-Unsubscribe-Post) or the page’s button',
          description:
            "Withdraws the artist's marketing consent, cancels their pending marketing messages, counts −20 engagement and records artist.unsubscribed. " +
            'Idempotent: a second call changes nothing.',
          params: tokenParams,
          response: { 200: htmlPage, ...errors(400, 404) },
        },
      },
      async (request, reply) => {
        const result = await notifications.unsubscribe(request.params.token);
        const state = await notifications.unsubscribeState(request.params.token);
        const page = unsubscribePage({ name: state.name, locale: state.locale, view: result.alreadyUnsubscribed ? 'already' : 'done' });
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
      },
    );
  };
