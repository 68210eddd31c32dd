import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createOrg, eventually } from '../../server/test/helpers/herald.ts';
import { text, useRig } from './helpers/browser.ts';

describe('back office: the event catalog, subscriptions and publishing its examples', () => {
  const rig = useRig();
  let orgId: string;
  let endpointId: string;
  let catalog: { name: string; example: unknown; deprecated: boolean }[];

  before(async () => {
    // Catalog types only, as an organization starts: the form must not offer free-form names.
    orgId = await createOrg(rig.herald, 'Catalog Learning', { allowFreeFormTypes: false });
    const custom = await rig.herald.call('POST', '/v1/event-types', {
      name: 'lesson.completed',
      description: 'A learner finished a lesson',
      schema: { type: 'object', required: ['learnerId'] },
      example: { learnerId: '507f191e810c19729de860ea' },
    });
    assert.equal(custom.status, 201);
    const legacy = await rig.herald.call('POST', '/v1/event-types', {
      name: 'legacy.ping',
      description: 'An old heartbeat nobody should subscribe to any more',
      deprecated: true,
    });
    assert.equal(legacy.status, 201);
    catalog = (await rig.herald.call('GET', '/v1/event-types')).body.data;
    await rig.signIn();
  });

  test('the event types page shows every type with its schema and example', async () => {
    const { page } = rig;
    await page.goto(`/orgs/${orgId}/endpoints`);
    await page.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
    // Hold the catalog's answer to see the loading state, then let it through.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(
      '**/v1/event-types',
      async (route) => {
        await held;
        await route.continue();
      },
      { times: 1 },
    );
    await rig.nav('Event types').click();
    await page.getByText('Loading event types…').waitFor();
    release();
    await page.getByRole('heading', { name: 'certificate_completed', level: 2 }).waitFor();

    const shown = await page.getByRole('main').getByRole('heading', { level: 2 }).allInnerTexts();
    assert.deepEqual(
      shown,
      catalog.map((type) => type.name),
    );
    const completed = page.getByRole('region', { name: 'certificate_completed', exact: true });
    assert.match(await text(completed), /built-in/);
    assert.match(
      await text(completed.getByRole('region', { name: 'Schema of certificate_completed' })),
      /"required": \[/,
    );
    assert.match(
      await text(completed.getByRole('region', { name: 'Example of certificate_completed' })),
      /"_id": "507f1f77bcf86cd799439011"/,
    );
    const legacy = page.getByRole('region', { name: 'legacy.ping', exact: true });
    assert.match(await text(legacy), /custom/);
    assert.match(await text(legacy), /deprecated/);
    assert.match(await text(legacy), /No schema: any JSON object is accepted/);
    assert.match(await text(legacy), /No example/);
    // The organization the person came from stays in the navigation.
    await rig.nav('Endpoints').waitFor();
    await rig.screenshot('event-types');
  });

  test('the endpoint form subscribes to catalog types, from the keyboard', async () => {
    const { page } = rig;
    await page.goto(`/orgs/${orgId}/endpoints/new`);
    const types = page.getByRole('group', { name: 'Event types' });
    await types.getByRole('checkbox').first().waitFor();
    // Live types only: the deprecated one is not offered, and no free-form box for this org.
    const offered = await types
      .getByRole('checkbox')
      .evaluateAll((boxes) => boxes.map((box) => box.closest('label')?.textContent));
    assert.deepEqual(
      offered,
      catalog.filter((type) => !type.deprecated).map((type) => type.name),
    );
    assert.equal(await page.getByLabel('Other event type').count(), 0);
    // Each box is described by its type's description.
    const box = types.getByRole('checkbox', { name: 'lesson.completed', exact: true });
    const describedBy = await box.getAttribute('aria-describedby');
    assert.equal(await text(page.locator(`[id="${describedBy}"]`)), 'A learner finished a lesson');

    await page.getByLabel('Name').fill('Course records');
    await page.getByLabel('URL', { exact: true }).fill(`${rig.receiver.url}/records`);
    await types.getByRole('checkbox', { name: 'certificate_completed', exact: true }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await types.getByText('2 ticked: the endpoint receives only these.').waitFor();
    assert.equal(
      await types.getByRole('checkbox', { name: 'certificate_expiring', exact: true }).isChecked(),
      true,
    );
    await rig.screenshot('endpoint-form-event-types');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByRole('heading', { name: 'Course records', level: 1, exact: true }).waitFor();

    const { body } = await rig.herald.call('GET', `/v1/orgs/${orgId}/endpoints`);
    assert.equal(body.data.length, 1);
    endpointId = body.data[0].id;
    assert.deepEqual(body.data[0].eventTypes, ['certificate_completed', 'certificate_expiring']);
  });

  test("publish the catalog's example: the subscribed receiver gets it", async () => {
    const { page } = rig;
    await rig.nav('Event types').click();
    await page.getByRole('link', { name: 'Publish the example of certificate_completed' }).click();
    await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    const form = page.locator('details', { hasText: 'Publish an event' });
    // A catalog-only organization picks from a list; the link chose the type and its example.
    const type = form.getByRole('combobox', { name: 'Event type' });
    await eventually(async () => (await type.inputValue()) === 'certificate_completed');
    const example = catalog.find((t) => t.name === 'certificate_completed')?.example;
    const payload = form.getByLabel('Payload (JSON)');
    assert.deepEqual(JSON.parse(await payload.inputValue()), example);
    await rig.screenshot('publish-from-example');
    await form.getByRole('button', { name: 'Publish event' }).click();

    const [request] = await rig.receiver.waitFor(1);
    assert.equal(request.path, '/records');
    assert.equal(request.headers['webhook-event-type'], 'certificate_completed');
    assert.deepEqual(JSON.parse(request.body), example);
    // The new event opens beside the list, its delivery shown delivered.
    const panel = page.getByRole('complementary');
    await panel
      .getByRole('listitem', { name: 'Delivery to Course records' })
      .getByText('delivered')
      .waitFor();
    assert.match(
      await text(panel.getByRole('region', { name: 'Event payload' })),
      /"_id": "507f1f77bcf86cd799439011"/,
    );
    await page.getByRole('row', { name: /^evt_/ }).first().waitFor();
    await rig.screenshot('event-delivered');

    // Its deliveries in the log: filtered to this event.
    const eventId = new URL(page.url()).searchParams.get('selected');
    await panel.getByRole('link', { name: 'Open in the deliveries log' }).click();
    await page.getByText(`Deliveries of event ${eventId}`).waitFor();
    const rows = page.getByRole('row', { name: /^Delivery dlv_/ });
    await rows.first().getByText('delivered').waitFor();
    assert.equal(await rows.count(), 1);
    const listed = await rig.herald.call(
      'GET',
      `/v1/orgs/${orgId}/deliveries?event=${eventId}&endpoint=${endpointId}`,
    );
    assert.equal(listed.body.data[0].status, 'delivered');
  });

  test('a payload that breaks the schema lists each failing place; unsubscribed types go nowhere', async () => {
    const { page } = rig;
    await rig.nav('Events').click();
    const form = page.locator('details', { hasText: 'Publish an event' });
    if ((await form.getAttribute('open')) === null) await form.locator('summary').click();
    await form.getByRole('combobox', { name: 'Event type' }).selectOption('certificate_completed');
    const payload = form.getByLabel('Payload (JSON)');
    const broken = JSON.parse(await payload.inputValue());
    delete broken._userId;
    await payload.fill(JSON.stringify(broken, null, 2));
    await form.getByRole('button', { name: 'Publish event' }).click();
    const violations = form.getByRole('list', { name: 'Schema violations' });
    await violations.waitFor();
    assert.deepEqual(await violations.getByRole('listitem').allInnerTexts(), [
      '/_userId is required',
    ]);
    assert.equal(await payload.getAttribute('aria-invalid'), 'true');
    await rig.screenshot('publish-schema-error');
    rig.assertNoProblems(/422 \(Unprocessable/);

    // "Use the example" puts the valid example back; lesson.completed has no subscriber.
    await form.getByRole('combobox', { name: 'Event type' }).selectOption('lesson.completed');
    await form.getByRole('button', { name: 'Use the example' }).click();
    assert.deepEqual(JSON.parse(await payload.inputValue()), {
      learnerId: '507f191e810c19729de860ea',
    });
    await form.getByRole('button', { name: 'Publish event' }).click();
    await page.getByText(/published to 0 endpoint/).waitFor();
    await page
      .getByRole('complementary')
      .getByText('No endpoint is subscribed to this type.')
      .waitFor();
    assert.equal(rig.receiver.requests.length, 1);
  });

  test('an organization allowing free-form types subscribes to and publishes names outside the catalog', async () => {
    const { page } = rig;
    const patched = await rig.herald.call('PATCH', `/v1/orgs/${orgId}`, {
      settings: { allowFreeFormTypes: true },
    });
    assert.equal(patched.status, 200);
    await page.goto(`/orgs/${orgId}/endpoints/${endpointId}/edit`);
    const types = page.getByRole('group', { name: 'Event types' });
    const other = types.getByLabel('Other event type');
    await other.fill('lesson.reviewed');
    // Enter adds the name without submitting the form.
    await other.press('Enter');
    const added = types.getByRole('checkbox', { name: 'lesson.reviewed', exact: true });
    assert.equal(await added.isChecked(), true);
    await page.getByRole('heading', { name: 'Edit Course records', level: 1 }).waitFor();
    await rig.screenshot('endpoint-form-free-form-type');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Course records', level: 1, exact: true }).waitFor();
    const saved = await rig.herald.call('GET', `/v1/orgs/${orgId}/endpoints/${endpointId}`);
    assert.deepEqual(saved.body.eventTypes, [
      'certificate_completed',
      'certificate_expiring',
      'lesson.reviewed',
    ]);

    // A deprecated type the endpoint already has stays shown (and kept), with a note saying so.
    await rig.herald.call('PATCH', `/v1/orgs/${orgId}/endpoints/${endpointId}`, {
      eventTypes: [...saved.body.eventTypes, 'legacy.ping'],
    });
    await page.goto(`/orgs/${orgId}/endpoints/${endpointId}/edit`);
    const legacy = types.getByRole('checkbox', { name: 'legacy.ping', exact: true });
    assert.equal(await legacy.isChecked(), true);
    const note = page.locator(`[id="${await legacy.getAttribute('aria-describedby')}"]`);
    assert.match(await text(note), /^Deprecated\. An old heartbeat/);

    await rig.nav('Events').click();
    const form = page.locator('details', { hasText: 'Publish an event' });
    await form.locator('summary').click();
    // Free-form: a text box with the catalog as suggestions.
    await form.getByRole('combobox', { name: 'Event type' }).fill('lesson.reviewed');
    await form.getByLabel('Payload (JSON)').fill('{"lessonId": "l-42", "stars": 5}');
    await form.getByRole('button', { name: 'Publish event' }).click();
    const [, request] = await rig.receiver.waitFor(2);
    assert.equal(request.headers['webhook-event-type'], 'lesson.reviewed');
    assert.deepEqual(JSON.parse(request.body), { lessonId: 'l-42', stars: 5 });
  });
});
