/*
 * The web push service worker of MONA x SPARK (registered by the
 * notification preferences page, scope "/").
 *
 * The API sends each push message as JSON: { id, title, body, link, kind }
 * (encrypted with the subscription's keys; the browser decrypts it). We show
 * it as a notification; a click focuses an open tab of the app (and takes it
 * to the message's link) or opens a new one.
 */

self.addEventListener('install', () => {
  // A new version takes over at once: it holds no cache to migrate.
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

/** The payload as the API sends it, or a generic notification when it cannot be read. */
function readPayload(data) {
  if (!data) return { id: null, title: 'MONA x SPARK', body: '', link: null, kind: 'activity' };
  try {
    const payload = data.json();
    return {
      id: typeof payload.id === 'string' ? payload.id : null,
      title: typeof payload.title === 'string' && payload.title ? payload.title : 'MONA x SPARK',
      body: typeof payload.body === 'string' ? payload.body : '',
      link: typeof payload.link === 'string' ? payload.link : null,
      kind: typeof payload.kind === 'string' ? payload.kind : 'activity',
    };
  } catch {
    return { id: null, title: 'MONA x SPARK', body: data.text(), link: null, kind: 'activity' };
  }
}

self.addEventListener('push', (event) => {
  const payload = readPayload(event.data);
  event.waitUntil(
    self.registration.showNotification(payload.title, {
      body: payload.body,
      icon: '/icon.svg',
      badge: '/icon.svg',
      // The same message delivered twice replaces itself instead of stacking.
      tag: payload.id ?? undefined,
      // Security messages stay until the person acts on them.
      requireInteraction: payload.kind === 'transactional',
      data: { link: payload.link ?? '/inbox' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const link = (event.notification.data && event.notification.data.link) || '/inbox';
  const target = new URL(link, self.location.origin);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      if (target.origin === self.location.origin) {
        const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
        if (open) {
          await open.focus();
          if ('navigate' in open) await open.navigate(target.href);
          return;
        }
      }
      await self.clients.openWindow(target.href);
    })(),
  );
});
