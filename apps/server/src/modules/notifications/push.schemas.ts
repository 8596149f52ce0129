import { z } from 'zod';

const isoDateTime = z.iso.datetime({ offset: true });

/** base64url (the browser's encoding; standard base64 and padding are accepted too) of exactly `bytes` bytes. */
const base64Key = (bytes: number, what: string, check?: (decoded: Buffer) => boolean) =>
  z
    .string()
    .trim()
    .max(200)
    .regex(/^[A-Za-z0-9_+/-]+={0,2}$/, `${what}: base64url expected`)
    .transform((v) => v.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))
    .refine((v) => {
      const decoded = Buffer.from(v, 'base64url');
      return decoded.length === bytes && (!check || check(decoded));
    }, `${what}: ${bytes} bytes expected`);

export const pushPublicKeyResponse = z
  .object({ publicKey: z.string().describe('The VAPID public key (base64url): applicationServerKey of pushManager.subscribe') })
  .meta({ id: 'PushPublicKey' });

/** What `PushSubscription.toJSON()` gives in the browser. */
export const pushSubscribeBody = z
  .strictObject({
    endpoint: z
      .url({ protocol: /^https$/, error: 'The push endpoint must be an https URL' })
      .max(2048)
      .describe("The push service URL of this browser's subscription"),
    expirationTime: z.number().nullable().optional().describe('Ignored: a subscription that expires is removed when the push service answers 404 or 410'),
    keys: z.strictObject({
      // An uncompressed P-256 point: 0x04, then x and y.
      p256dh: base64Key(65, 'p256dh', (key) => key[0] === 0x04),
      auth: base64Key(16, 'auth'),
    }),
  })
  .describe('PushSubscription.toJSON() of the browser');
export type PushSubscribeInput = z.infer<typeof pushSubscribeBody>;

export const pushUnsubscribeBody = z.strictObject({ endpoint: z.string().min(1).max(2048) });

export const pushSubscriptionSchema = z
  .object({
    id: z.uuid(),
    endpoint: z.string(),
    userAgent: z.string(),
    createdAt: isoDateTime,
    lastUsedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'PushSubscription' });
export type PushSubscriptionView = z.infer<typeof pushSubscriptionSchema>;

export const pushSubscriptionListResponse = z.object({ items: z.array(pushSubscriptionSchema) });
