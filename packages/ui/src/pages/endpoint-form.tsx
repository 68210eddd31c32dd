import { type ReactNode, useState } from 'react';
import type { AuthIn, Endpoint, EndpointInput, PayloadFormat } from '../api/types.ts';
import { ErrorNote, Loading } from '../components/bits.tsx';
import { FieldError } from '../components/field-error.tsx';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';
import { LocalFieldError, useSubmit } from '../use-submit.ts';
import { EventTypePicker } from './event-type-picker.tsx';

type AuthKind = 'none' | 'bearer' | 'basic' | 'apiKey';
type RetryKind = 'standard' | 'rapid' | 'custom';

interface FormState {
  name: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  authKind: AuthKind;
  token: string;
  username: string;
  password: string;
  apiKeyHeader: string;
  apiKeyValue: string;
  headers: { key: string; value: string }[];
  timeoutMs: string;
  maxConcurrency: string;
  retryKind: RetryKind;
  retrySchedule: string;
  payloadFormat: PayloadFormat;
}

const EMPTY: FormState = {
  name: '',
  url: '',
  eventTypes: [],
  enabled: true,
  authKind: 'none',
  token: '',
  username: '',
  password: '',
  apiKeyHeader: 'X-API-Key',
  apiKeyValue: '',
  headers: [],
  timeoutMs: '5000',
  maxConcurrency: '5',
  retryKind: 'standard',
  retrySchedule: '',
  payloadFormat: 'raw',
};

function fromEndpoint(endpoint: Endpoint): FormState {
  const policy = endpoint.retryPolicy;
  return {
    ...EMPTY,
    name: endpoint.name,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes ?? [],
    enabled: endpoint.enabled,
    authKind: (endpoint.auth?.type as AuthKind | undefined) ?? 'none',
    username: endpoint.auth?.username ?? '',
    apiKeyHeader: endpoint.auth?.header ?? EMPTY.apiKeyHeader,
    headers: Object.entries(endpoint.headers).map(([key, value]) => ({ key, value })),
    timeoutMs: String(endpoint.timeoutMs),
    maxConcurrency: String(endpoint.maxConcurrency),
    retryKind: typeof policy === 'string' ? policy : 'custom',
    retrySchedule:
      typeof policy === 'string' ? '' : policy.schedule.map((ms) => ms / 1000).join(', '),
    payloadFormat: endpoint.payloadFormat,
  };
}

function toInput(form: FormState, existing: Endpoint | undefined): EndpointInput {
  let auth: AuthIn | null | undefined;
  const keepsCredentials =
    existing?.auth?.type === form.authKind && !form.token && !form.password && !form.apiKeyValue;
  if (form.authKind === 'none') auth = null;
  else if (keepsCredentials) auth = undefined;
  else if (form.authKind === 'bearer') auth = { type: 'bearer', token: form.token };
  else if (form.authKind === 'basic')
    auth = { type: 'basic', username: form.username, password: form.password };
  else auth = { type: 'apiKey', header: form.apiKeyHeader, value: form.apiKeyValue };

  let retryPolicy: EndpointInput['retryPolicy'] =
    form.retryKind === 'custom' ? { schedule: [] } : form.retryKind;
  if (form.retryKind === 'custom') {
    const parts = form.retrySchedule
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const seconds = parts.map(Number);
    if (seconds.some((n) => !Number.isFinite(n) || n < 0))
      throw new LocalFieldError('retryPolicy', 'list the waits in seconds, separated by commas');
    retryPolicy = { schedule: seconds.map((n) => Math.round(n * 1000)) };
  }

  return {
    name: form.name,
    url: form.url,
    eventTypes: form.eventTypes.length === 0 ? null : form.eventTypes,
    enabled: form.enabled,
    ...(auth === undefined ? {} : { auth }),
    headers: Object.fromEntries(
      form.headers.filter((row) => row.key.trim()).map((row) => [row.key.trim(), row.value]),
    ),
    timeoutMs: Number(form.timeoutMs),
    maxConcurrency: Number(form.maxConcurrency),
    retryPolicy,
    payloadFormat: form.payloadFormat,
  };
}

function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldError id={id} message={error} />
    </div>
  );
}

export function EndpointFormPage({ orgId, endpointId }: { orgId: string; endpointId?: string }) {
  const { api, notify } = useSession();
  const existing = useApi(
    (signal) =>
      endpointId
        ? api.get<Endpoint>(`/v1/orgs/${orgId}/endpoints/${endpointId}`, {}, signal)
        : Promise.resolve(undefined),
    [orgId, endpointId],
  );
  const [form, setForm] = useState<FormState>(EMPTY);
  // A server error's `field` names the control it belongs next to (`auth.token` → auth,
  // `headers.X` → headers); focus goes there.
  const { submit, errors, failure, busy } = useSubmit(
    async () => {
      const input = toInput(form, existing.data);
      const saved = endpointId
        ? await api.patch<Endpoint>(`/v1/orgs/${orgId}/endpoints/${endpointId}`, input)
        : await api.post<Endpoint>(`/v1/orgs/${orgId}/endpoints`, input);
      notify(`Endpoint ${saved.name} saved`);
      navigate(`/orgs/${orgId}/endpoints/${saved.id}`);
    },
    (field) => document.getElementById(field)?.focus(),
  );

  // Filled while rendering, not in an effect: no render ever shows (or lets
  // anyone edit) the empty form of an endpoint that has already loaded.
  const [filledFrom, setFilledFrom] = useState<Endpoint>();
  if (existing.data && existing.data !== filledFrom) {
    setFilledFrom(existing.data);
    setForm(fromEndpoint(existing.data));
  }

  if (endpointId && !existing.data)
    return existing.error ? <ErrorNote error={existing.error} /> : <Loading what="the endpoint" />;

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((current) => ({ ...current, [key]: value }));
  const setHeader = (index: number, change: Partial<FormState['headers'][number]>) =>
    set(
      'headers',
      form.headers.map((row, i) => (i === index ? { ...row, ...change } : row)),
    );
  /** One field of the chosen auth method; secrets are masked and never autocompleted. */
  const credential = (
    id: string,
    label: string,
    key: 'token' | 'username' | 'password' | 'apiKeyHeader' | 'apiKeyValue',
    secret = false,
  ) => (
    <Field id={id} label={label}>
      <input
        id={id}
        value={form[key]}
        onChange={(e) => set(key, e.target.value)}
        {...(secret ? { type: 'password', autoComplete: 'off' } : {})}
      />
    </Field>
  );
  const describe = (id: string, hint?: boolean) =>
    [hint ? `${id}-hint` : '', errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ') ||
    undefined;
  const invalid = (id: string) => (errors[id] ? true : undefined);

  return (
    <>
      <h1 tabIndex={-1}>{endpointId ? `Edit ${existing.data?.name}` : 'New endpoint'}</h1>
      <form className="endpoint-form" onSubmit={submit} noValidate>
        <Field id="name" label="Name" error={errors.name}>
          <input
            id="name"
            value={form.name}
            onChange={(e) => set('name', e.target.value)}
            aria-invalid={invalid('name')}
            aria-describedby={describe('name')}
            required
          />
        </Field>
        <Field id="url" label="URL" error={errors.url} hint="Where Herald POSTs each event.">
          <input
            id="url"
            type="url"
            inputMode="url"
            value={form.url}
            placeholder="https://example.com/webhooks"
            onChange={(e) => set('url', e.target.value)}
            aria-invalid={invalid('url')}
            aria-describedby={describe('url', true)}
            required
          />
        </Field>
        <EventTypePicker
          orgId={orgId}
          value={form.eventTypes}
          onChange={(types) => set('eventTypes', types)}
          error={errors.eventTypes}
        />
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              checked={form.enabled}
              onChange={(e) => set('enabled', e.target.checked)}
            />
            Enabled
          </label>
        </div>
        <fieldset className="field">
          <legend>Authentication</legend>
          <Field id="auth" label="Method" error={errors.auth}>
            <select
              id="auth"
              value={form.authKind}
              onChange={(e) => set('authKind', e.target.value as AuthKind)}
              aria-invalid={invalid('auth')}
              aria-describedby={describe('auth')}
            >
              <option value="none">None</option>
              <option value="bearer">Bearer token</option>
              <option value="basic">Basic (username and password)</option>
              <option value="apiKey">API key header</option>
            </select>
          </Field>
          {existing.data?.auth && existing.data.auth.type === form.authKind && (
            <p className="hint">Leave the secret fields empty to keep the current credentials.</p>
          )}
          {form.authKind === 'bearer' && credential('auth-token', 'Token', 'token', true)}
          {form.authKind === 'basic' && (
            <>
              {credential('auth-username', 'Username', 'username')}
              {credential('auth-password', 'Password', 'password', true)}
            </>
          )}
          {form.authKind === 'apiKey' && (
            <>
              {credential('auth-header', 'Header name', 'apiKeyHeader')}
              {credential('auth-value', 'Key', 'apiKeyValue', true)}
            </>
          )}
        </fieldset>
        <fieldset className="field" aria-describedby={describe('headers')}>
          <legend>Custom headers</legend>
          {form.headers.map((row, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position.
            <div className="header-row" key={index}>
              <input
                aria-label={`Header ${index + 1} name`}
                id={index === 0 ? 'headers' : undefined}
                value={row.key}
                onChange={(e) => setHeader(index, { key: e.target.value })}
              />
              <input
                aria-label={`Header ${index + 1} value`}
                value={row.value}
                onChange={(e) => setHeader(index, { value: e.target.value })}
              />
              <button
                type="button"
                aria-label={`Remove header ${index + 1}`}
                onClick={() =>
                  set(
                    'headers',
                    form.headers.filter((_, i) => i !== index),
                  )
                }
              >
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() => set('headers', [...form.headers, { key: '', value: '' }])}
          >
            Add header
          </button>
          <FieldError id="headers" message={errors.headers} />
        </fieldset>
        <div className="field-row">
          <Field id="timeoutMs" label="Timeout (ms)" error={errors.timeoutMs}>
            <input
              id="timeoutMs"
              type="number"
              value={form.timeoutMs}
              onChange={(e) => set('timeoutMs', e.target.value)}
              aria-invalid={invalid('timeoutMs')}
              aria-describedby={describe('timeoutMs')}
            />
          </Field>
          <Field id="maxConcurrency" label="Max concurrency" error={errors.maxConcurrency}>
            <input
              id="maxConcurrency"
              type="number"
              value={form.maxConcurrency}
              onChange={(e) => set('maxConcurrency', e.target.value)}
              aria-invalid={invalid('maxConcurrency')}
              aria-describedby={describe('maxConcurrency')}
            />
          </Field>
        </div>
        <div className="field-row">
          <Field id="retryPolicy" label="Retry policy" error={errors.retryPolicy}>
            <select
              id="retryPolicy"
              value={form.retryKind}
              onChange={(e) => set('retryKind', e.target.value as RetryKind)}
              aria-invalid={invalid('retryPolicy')}
              aria-describedby={describe('retryPolicy')}
            >
              <option value="standard">Standard (8 attempts over ~1.5 days)</option>
              <option value="rapid">Rapid (100 attempts in 10 minutes)</option>
              <option value="custom">Custom schedule</option>
            </select>
          </Field>
          {form.retryKind === 'custom' && (
            <Field
              id="retrySchedule"
              label="Waits between attempts (seconds)"
              hint="e.g. 5, 60, 300"
            >
              <input
                id="retrySchedule"
                value={form.retrySchedule}
                onChange={(e) => set('retrySchedule', e.target.value)}
                aria-describedby="retrySchedule-hint"
              />
            </Field>
          )}
          <Field id="payloadFormat" label="Payload format" error={errors.payloadFormat}>
            <select
              id="payloadFormat"
              value={form.payloadFormat}
              onChange={(e) => set('payloadFormat', e.target.value as PayloadFormat)}
            >
              <option value="raw">Raw (the payload as published)</option>
              <option value="envelope">Envelope ({'{event, payload: {data}}'})</option>
              <option value="standard">Standard Webhooks ({'{type, timestamp, data}'})</option>
            </select>
          </Field>
        </div>
        <ErrorNote error={failure} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : endpointId ? 'Save changes' : 'Create endpoint'}
          </button>
          <button type="button" onClick={() => window.history.back()}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
