import { type FormEvent, useState } from 'react';
import { ApiError } from './api/client.ts';

/** A form's submission state: errors by field, any other failure, and whether it is running. */
export interface Submission {
  submit(event: FormEvent): Promise<void>;
  /** Messages keyed by the first segment of the API's `field` (`auth.token` → `auth`). */
  errors: Record<string, string>;
  failure: Error | undefined;
  busy: boolean;
}

/** An error a form finds itself, before the API sees the input: shown beside `field` like the API's. */
export class LocalFieldError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/**
 * Runs a form's action; a validation error naming a field goes beside that
 * field (and `onFieldError` may move focus there), anything else is a failure.
 */
export function useSubmit(
  action: () => Promise<void>,
  onFieldError?: (field: string) => void,
): Submission {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setFailure(undefined);
    setBusy(true);
    try {
      await action();
    } catch (error) {
      if ((error instanceof ApiError || error instanceof LocalFieldError) && error.field) {
        const field = error.field.split('.')[0];
        setErrors({ [field]: error.message });
        onFieldError?.(field);
      } else setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };
  return { submit, errors, failure, busy };
}
