import { createServer } from 'node:http';
import { verify, WebhookVerificationError } from '@herald/sdk';
import { handle } from './your-app.ts';

const secret = process.env.HERALD_WEBHOOK_SECRET!; // whsec_… from Herald

export const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    const event = verify(Buffer.concat(chunks), req.headers, secret);
    await handle(event); // event.id, event.type, event.attempt, event.payload
    res.writeHead(200).end();
  } catch (error) {
    const bad = error instanceof WebhookVerificationError;
    res.writeHead(bad ? 401 : 500).end(bad ? error.code : 'failed');
  }
});
server.listen(Number(process.env.PORT ?? 3000), process.env.HOST);
