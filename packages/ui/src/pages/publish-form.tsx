import { type FormEvent, useEffect, useState } from 'react';
import { ApiError } from '../api/client.ts';
import type { EventType, SchemaViolation } from '../api/types.ts';
import { ErrorNote, Loading } from '../components/bits.tsx';
import { FieldError, invalid } from '../components/field-error.tsx';
import { useSession } from '../session.tsx';
import { useAllowsFreeFormTypes } from '../use-event-types.ts';

const EMPTY_PAYLOAD = '{\n  \n}';
const hasExample = (type: EventType | undefined) =>
  type !== undefined && type.example !== null && type.example !== undefined;

interface Problems {
  type?: string;
  payload?: string;
  /** WHK_ERR_SCHEMA lists every failing place of the payload. */
  violations?: SchemaViolation[];
}

function problemsOf(error: unknown): Problems | undefined {
  if (!(error instanceof ApiError) || !error.field) return undefined;
  const slot = error.field.split('.')[0];
  if (slot !== 'type' && slot !== 'payload') return undefined;
  const violations = Array.isArray(error.details) ? (error.details as SchemaViolation[]) : [];
  return { [slot]: error.message, violations };
}

/**
 * Publishes an event for testing. Picking a catalog type fills its example
 * unless the person already edited the payload; "Use the example" refills it.
 * An organization limited to the catalog gets a select, one that allows
 * free-form types a text box with the catalog as suggestions.
 */
export function PublishForm({
  orgId,
  catalog,
  initialType,
  onPublished,
}: {
  orgId: string;
  /** The event-type catalog, undefined while it loads (the page reads it once for both forms). */
  catalog: EventType[] | undefined;
  /** From `?publish=`: the event-type page's "Publish this example" link. */
  initialType?: string;
  onPublished(eventId: string): void;
}) {
  const { api, notify } = useSession();
  const freeForm = useAllowsFreeFormTypes(orgId);
  const [open, setOpen] = useState(initialType !== undefined);
  const [type, setType] = useState('');
  const [payload, setPayload] = useState(EMPTY_PAYLOAD);
  const [edited, setEdited] = useState(false);
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const definition = catalog?.find((t) => t.name === type);

  const fillExample = (of: EventType | undefined) => {
    if (!of || !hasExample(of)) return;
    setPayload(JSON.stringify(of.example, null, 2));
    setEdited(false);
  };
  const pickType = (name: string) => {
    setType(name);
    if (!edited) fillExample(catalog?.find((t) => t.name === name));
  };

  // The catalog arrives after the first render: apply the linked type once it is there.
  useEffect(() => {
    if (!initialType || !catalog) return;
    setOpen(true);
    setType(initialType);
    const linked = catalog.find((t) => t.name === initialType);
    if (linked && hasExample(linked)) setPayload(JSON.stringify(linked.example, null, 2));
  }, [initialType, catalog]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblems({});
    setFailure(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch (error) {
      setProblems({ payload: `not JSON: ${(error as Error).message}` });
      return;
    }
    setBusy(true);
    try {
      const answer = await api.post<{ id: string; deliveries: number }>(
        `/v1/orgs/${orgId}/events`,
        { type, payload: parsed },
      );
      notify(`Event ${answer.id} published to ${answer.deliveries} endpoint(s)`);
      onPublished(answer.id);
    } catch (error) {
      const found = problemsOf(error);
      if (found) setProblems(found);
      else setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="card" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Publish an event</summary>
      {!catalog || freeForm === undefined ? (
        <Loading what="the event catalog" />
      ) : (
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="publish-type">Event type</label>
            {freeForm ? (
              <>
                <input
                  id="publish-type"
                  list="publish-types"
                  value={type}
                  onChange={(e) => pickType(e.target.value)}
                  {...invalid('publish-type', problems.type)}
                />
                <datalist id="publish-types">
                  {catalog.map((t) => (
                    <option key={t.name} value={t.name} />
                  ))}
                </datalist>
              </>
            ) : (
              <select
                id="publish-type"
                value={type}
                onChange={(e) => pickType(e.target.value)}
                {...invalid('publish-type', problems.type)}
              >
                <option value="">Choose a type…</option>
                {catalog.map((t) => (
                  <option key={t.name} value={t.name}>
                    {t.deprecated ? `${t.name} (deprecated)` : t.name}
                  </option>
                ))}
              </select>
            )}
            <FieldError id="publish-type" message={problems.type} />
          </div>
          <div className="field">
            <label htmlFor="publish-payload">Payload (JSON)</label>
            <textarea
              id="publish-payload"
              rows={10}
              className="mono"
              value={payload}
              onChange={(e) => {
                setPayload(e.target.value);
                setEdited(true);
              }}
              {...invalid('publish-payload', problems.payload)}
            />
            {problems.payload && (
              <div id="publish-payload-error" className="field-error" role="alert">
                <p>{problems.payload}</p>
                {problems.violations && problems.violations.length > 0 && (
                  <ul aria-label="Schema violations">
                    {problems.violations.map((v) => (
                      <li key={`${v.pointer} ${v.message}`}>
                        <span className="mono">{v.pointer || '/'}</span> {v.message}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </div>
          <ErrorNote error={failure} />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy}>
              Publish event
            </button>
            {hasExample(definition) && (
              <button type="button" onClick={() => fillExample(definition)}>
                Use the example
              </button>
            )}
          </div>
        </form>
      )}
    </details>
  );
}
