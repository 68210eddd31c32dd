import { type KeyboardEvent, useState } from 'react';
import type { EventType } from '../api/types.ts';
import { ErrorNote, Loading } from '../components/bits.tsx';
import { FieldError } from '../components/field-error.tsx';
import { useAllowsFreeFormTypes, useEventTypes } from '../use-event-types.ts';

interface Choice {
  name: string;
  /** Shown under the name and read after it by screen readers. */
  note: string;
}

/**
 * The types offered: the catalog's live types, plus whatever the endpoint
 * already has (a deprecated type, or a free-form one) so that editing never
 * drops a subscription the person cannot see.
 */
function choicesFor(catalog: EventType[], chosen: string[]): Choice[] {
  const known = new Set(catalog.map((type) => type.name));
  const fromCatalog = catalog
    .filter((type) => !type.deprecated || chosen.includes(type.name))
    .map((type) => ({
      name: type.name,
      note: type.deprecated ? `Deprecated. ${type.description}` : type.description,
    }));
  const outside = chosen
    .filter((name) => !known.has(name))
    .map((name) => ({ name, note: 'Not in the catalog (free-form type).' }));
  return [...fromCatalog, ...outside];
}

/**
 * The endpoint form's event-type multi-select: one native checkbox per type in
 * a fieldset, so Tab and Space work and each box is named by its type. An
 * organization that allows free-form types can add names the catalog lacks.
 */
export function EventTypePicker({
  orgId,
  value,
  onChange,
  error,
}: {
  orgId: string;
  value: string[];
  onChange(types: string[]): void;
  error?: string;
}) {
  const catalog = useEventTypes();
  // Without a catalog (an older Herald) any name goes, as free-form types do.
  const noCatalog = catalog.data !== undefined && catalog.data.data.length === 0;
  const freeForm = useAllowsFreeFormTypes(orgId) === true || noCatalog;
  const [other, setOther] = useState('');
  // Nothing is offered before the catalog arrives: the endpoint's own types would
  // otherwise show as free-form for a moment, and a click then could be lost.
  const choices = catalog.data ? choicesFor(catalog.data.data, value) : [];

  const toggle = (name: string, on: boolean) =>
    onChange(on ? [...value, name] : value.filter((type) => type !== name));
  const addOther = () => {
    const name = other.trim();
    if (name && !value.includes(name)) onChange([...value, name]);
    setOther('');
  };
  // Enter adds the typed name instead of submitting the whole form.
  const onOtherKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    addOther();
  };

  return (
    <fieldset
      id="eventTypes"
      tabIndex={-1}
      className="field"
      aria-describedby={`eventTypes-hint${error ? ' eventTypes-error' : ''}`}
    >
      <legend>Event types</legend>
      <p id="eventTypes-hint" className="hint">
        {value.length === 0
          ? 'None ticked: the endpoint receives every type.'
          : `${value.length} ticked: the endpoint receives only these.`}
      </p>
      {!catalog.data &&
        (catalog.error ? (
          <ErrorNote error={catalog.error} />
        ) : (
          <Loading what="the event-type catalog" />
        ))}
      {choices.map((choice) => (
        <div key={choice.name} className="choice">
          <label className="check">
            <input
              type="checkbox"
              checked={value.includes(choice.name)}
              onChange={(e) => toggle(choice.name, e.target.checked)}
              aria-describedby={choice.note ? `type-note-${choice.name}` : undefined}
            />
            <span className="mono">{choice.name}</span>
          </label>
          {choice.note && (
            <span id={`type-note-${choice.name}`} className="hint">
              {choice.note}
            </span>
          )}
        </div>
      ))}
      {freeForm && (
        <div className="inline-form">
          <label htmlFor="eventTypes-other">Other event type</label>
          <input
            id="eventTypes-other"
            value={other}
            placeholder="e.g. course.started"
            onChange={(e) => setOther(e.target.value)}
            onKeyDown={onOtherKey}
          />
          <button type="button" onClick={addOther} disabled={!other.trim()}>
            Add type
          </button>
        </div>
      )}
      <FieldError id="eventTypes" message={error} />
    </fieldset>
  );
}
