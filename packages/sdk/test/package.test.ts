import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { VECTOR } from './vectors.ts';

const run = promisify(execFile);
const sdk = fileURLToPath(new URL('..', import.meta.url));
const root = join(sdk, '..', '..');
const tsc = join(root, 'node_modules', '.bin', 'tsc');

/**
 * What npm users get: the compiled build installed under a scratch project's
 * node_modules, where Node will not strip TypeScript, used from plain
 * JavaScript and type-checked from TypeScript.
 */
describe('the published package (npm run build)', () => {
  const project = mkdtempSync(join(tmpdir(), 'herald-sdk-consumer-'));
  const installed = join(project, 'node_modules', '@herald', 'sdk');

  before(async () => {
    mkdirSync(installed, { recursive: true });
    await run(tsc, ['-p', join(sdk, 'tsconfig.build.json'), '--outDir', installed]);
    await run(process.execPath, [join(sdk, 'scripts', 'finish-dist.mjs'), installed]);
    writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  test('has a manifest pointing at compiled JavaScript and types, and no TypeScript source', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    assert.equal(manifest.name, '@herald/sdk');
    assert.equal(manifest.private, undefined);
    assert.deepEqual(manifest.exports, { '.': { types: './index.d.ts', default: './index.js' } });
    assert.ok(readFileSync(join(installed, 'verify.js'), 'utf8').includes("from './errors.js'"));
    assert.ok(readFileSync(join(installed, 'index.d.ts'), 'utf8').includes("from './verify.js'"));
    assert.ok(readFileSync(join(installed, 'README.md'), 'utf8').startsWith('# @herald/sdk'));
  });

  test('imports and verifies from node_modules with plain Node', async () => {
    writeFileSync(
      join(project, 'consumer.mjs'),
      `import { sign, verify, WebhookVerificationError, createDeduper } from '@herald/sdk';
const v = ${JSON.stringify(VECTOR)};
const headers = { 'webhook-id': v.id, 'webhook-timestamp': String(v.timestamp), 'webhook-signature': v.signature };
const event = verify(v.body, headers, v.secret, { now: v.timestamp * 1000 });
let code;
try { verify(v.body + ' ', headers, v.secret, { now: v.timestamp * 1000 }); } catch (e) { code = e instanceof WebhookVerificationError && e.code; }
const once = await createDeduper().once(event.id, () => 1);
console.log(JSON.stringify({ payload: event.payload, code, signed: sign(v, v.secret), once }));
`,
    );
    const { stdout } = await run(process.execPath, ['consumer.mjs'], { cwd: project });
    assert.deepEqual(JSON.parse(stdout), {
      payload: { test: 2432232314 },
      code: 'no_matching_signature',
      signed: VECTOR.signature,
      once: { duplicate: false, result: 1 },
    });
  });

  test('type-checks a TypeScript consumer against the .d.ts, and catches a wrong one', async () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    const write = (code: string) => writeFileSync(join(project, 'consumer.ts'), code);
    write(`import { verify, type HeraldWebhookEvent, type WebhookVerificationErrorCode } from '@herald/sdk';
export function handle(body: string, headers: Record<string, string>): string {
  const event = verify<HeraldWebhookEvent>(body, headers, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
  if (event.type === 'certificate_completed') return event.payload._userId;
  const code: WebhookVerificationErrorCode = 'timestamp_too_old';
  return code;
}
`);
    await run(tsc, ['-p', project]);

    write(`import { verify, type HeraldWebhookEvent } from '@herald/sdk';
const event = verify<HeraldWebhookEvent>('{}', {}, 'whsec_x');
if (event.type === 'certificate_completed') {
  const wrong: number = event.payload._userId;
}
`);
    await assert.rejects(run(tsc, ['-p', project]), (error: { stdout: string }) => {
      assert.match(error.stdout, /Type 'string' is not assignable to type 'number'/);
      return true;
    });
  });
});
