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

/** Runs a form's action; a validation error naming a field goes beside that field, anything else is a failure. */
export function useSubmit(action: () => Promise<void>): Submission {
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
      if (error instanceof ApiError && error.field) {
        setErrors({ [error.field.split('.')[0]]: error.message });
      } else setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };
  return { submit, errors, failure, busy };
}
