import { createDeduper, expressWebhook, type HeraldWebhookEvent } from '@herald/sdk';
import express from 'express';
import { markExpired, recordCertificate } from './your-app.ts';

const app = express();

// Before express.json(): the signature is over the raw bytes, so the helper reads them itself.
app.post(
  '/webhooks/herald',
  expressWebhook<HeraldWebhookEvent>({
    secret: process.env.HERALD_WEBHOOK_SECRET!,
    deduper: createDeduper(), // answers a repeated webhook-id 200 without calling onEvent
    async onEvent(event) {
      switch (event.type) {
        case 'certificate_completed':
          await recordCertificate(event.payload); // typed: BadgeUserCertificate
          break;
        case 'certificate_expired':
          await markExpired(event.payload);
          break;
      }
    },
  }),
);
app.use(express.json()); // the rest of your app

export const server = app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '0.0.0.0');
