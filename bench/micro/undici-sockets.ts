import { Agent } from 'undici';
import { startReceiver } from '../lib/nodes.ts';
import { PAYLOAD_JSON } from '../lib/payload.ts';

/**
 * What a bare undici client pays per request for the number of sockets it
 * keeps busy on one origin: 1 KiB POSTs to the bench receiver (its own
 * process), as many in flight as sockets. P runs on 64; a fan-out to 100
 * endpoints on one origin fills the worker's 512. Prints this process's CPU
 * per request (user, system), which a busy machine disturbs less than the rate.
 * `node bench/micro/undici-sockets.ts [requests] [sockets…]`
 */
const count = Number(process.argv[2] ?? 30_000);
const shapes = process.argv.slice(3).map(Number);
const receiver = await startReceiver();

async function run(sockets: number): Promise<string> {
  const agent = new Agent({ connections: sockets });
  let sent = 0;
  const lane = async () => {
    while (sent < count) {
      sent++;
      const response = await agent.request({
        origin: receiver.url,
        path: `/p/${sent}`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: PAYLOAD_JSON,
      });
      await response.body.dump();
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: sockets }, lane));
  const { user, system } = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  const us = (value: number) => (value / count).toFixed(1);
  return `${sockets} sockets: ${Math.round(count / seconds)}/s, ${us(user)} µs user + ${us(system)} µs system per request`;
}

try {
  await run(64); // warm-up
  for (let round = 0; round < 3; round++)
    for (const sockets of shapes.length > 0 ? shapes : [64, 100, 512])
      console.log(await run(sockets));
} finally {
  await receiver.stop();
}
