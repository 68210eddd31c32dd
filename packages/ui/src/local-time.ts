/**
 * `<input type="datetime-local">` holds a wall-clock time without a zone; the
 * API holds instants. These convert between them in the viewer's zone.
 */
export const toLocalInput = (date: Date): string =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export const fromLocalInput = (value: string): string => new Date(value).toISOString();
