/** Every error Herald reports to a caller: a stable code, an HTTP status and a message. */
export class HeraldError extends Error {
  readonly code: string;
  readonly statusCode: number;
  /** The request field at fault, dotted (`auth.token`), when there is one. */
  readonly field?: string;
  readonly details: unknown;

  constructor(
    code: string,
    statusCode: number,
    message: string,
    options: { field?: string; details?: unknown } = {},
  ) {
    super(message);
    this.name = 'HeraldError';
    this.code = code;
    this.statusCode = statusCode;
    this.field = options.field;
    this.details = options.details;
  }
}

export const notFound = (what: string, id: string) =>
  new HeraldError('WHK_ERR_NOT_FOUND', 404, `${what} ${id} not found`);

export const validation = (field: string, message: string) =>
  new HeraldError('WHK_ERR_VALIDATION', 400, `body.${field}: ${message}`, { field });

export const conflict = (message: string) => new HeraldError('WHK_ERR_CONFLICT', 409, message);
