/** The props that tie a control to its error message, when it has one. */
export const invalid = (id: string, message: string | undefined) =>
  message ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};

/** A field's error, announced, with the id `invalid` points the control at. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={`${id}-error`} className="field-error" role="alert">
      {message}
    </p>
  );
}
