import { fastifyWebhook, type HeraldEnvelopeEvent } from '@herald/sdk';
import Fastify from 'fastify';
import { importSeablyCertificate } from './your-app.ts';

export const app = Fastify();

// An endpoint with payloadFormat "envelope" receives { event, payload: { data } }.
await app.register(
  fastifyWebhook<HeraldEnvelopeEvent>({
    path: '/webhooks/herald',
    secret: process.env.HERALD_WEBHOOK_SECRET!,
    async onEvent(event) {
      if (event.type === 'certificate.created') {
        await importSeablyCertificate(event.payload.payload.data); // { type: 'certificate', id: 'SB-…' }
      }
    },
  }),
);

await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST });
