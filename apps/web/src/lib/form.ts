import { createSignal } from 'solid-js';
import type { ApiError } from './api';
import { toApiError } from './client-data';

/** Error text per field, plus `form` for errors that belong to no single field. */
export type FormErrors<F extends string> = Partial<Record<F | 'form', string>>;

/**
 * Puts an API error next to the field it is about: by error code (SLUG_TAKEN → slug), or by the
 * paths a VALIDATION_FAILED response names; anything else is shown above the button.
 */
export function errorsFor<F extends string>(error: ApiError, fields: readonly F[], fieldOfCode: Partial<Record<string, F>>): FormErrors<F> {
  const byCode = fieldOfCode[error.code];
  if (byCode) return { [byCode]: error.message } as FormErrors<F>;
  if (error.code === 'VALIDATION_FAILED') {
    const named = error.fieldPaths().filter((path): path is F => (fields as readonly string[]).includes(path));
    if (named.length > 0) return Object.fromEntries(named.map((f) => [f, error.message])) as FormErrors<F>;
  }
  return { form: error.message } as FormErrors<F>;
}

/** A small controlled form: values, per-field errors, and a submit that maps API errors. */
export function createForm<F extends string>(initial: Record<F, string>, fieldOfCode: Partial<Record<string, NoInfer<F>>> = {}) {
  const fields = Object.keys(initial) as F[];
  const [values, setValues] = createSignal<Record<F, string>>({ ...initial });
  const [errors, setErrors] = createSignal<FormErrors<F>>({});
  const [busy, setBusy] = createSignal(false);

  function set(field: F, value: string) {
    setValues((prev) => ({ ...prev, [field]: value }));
    if (errors()[field]) setErrors((prev) => ({ ...prev, [field]: undefined }));
  }

  async function submit(action: (values: Record<F, string>) => Promise<void>) {
    if (busy()) return;
    setBusy(true);
    setErrors({});
    try {
      await action(values());
    } catch (e) {
      const mapped = errorsFor(toApiError(e), fields, fieldOfCode);
      setErrors(() => mapped);
    } finally {
      setBusy(false);
    }
  }

  return { values, set, errors, setErrors, busy, submit };
}

export type Form<F extends string> = ReturnType<typeof createForm<F>>;

/**
 * One button's worth of work (approve, mark paid…): `run` ignores a second tap while the first
 * is on its way, and keeps the API's message of a failure to show beside the button.
 */
export function createAction() {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  async function run(action: () => Promise<void>) {
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}
