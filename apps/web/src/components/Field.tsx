import { Show, type JSX } from 'solid-js';

interface FieldProps {
  name: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'date' | 'tel';
  error?: string;
  hint?: JSX.Element;
  autocomplete?: string;
  inputmode?: 'text' | 'email' | 'url' | 'tel';
  maxLength?: number;
  testid?: string;
}

/** A labelled input with its hint and, in place of the hint, its error. */
export function Field(props: FieldProps) {
  const id = () => `field-${props.name}`;
  return (
    <div class="field" classList={{ invalid: !!props.error }}>
      <label for={id()}>{props.label}</label>
      <input
        id={id()}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        maxLength={props.maxLength}
        data-testid={props.testid}
        autocapitalize="off"
        spellcheck={false}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={`${id()}-note`}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <Show
        when={props.error}
        fallback={<Show when={props.hint}><p class="hint" id={`${id()}-note`}>{props.hint}</p></Show>}
      >
        <p class="error" id={`${id()}-note`} role="alert" data-testid={`error-${props.name}`}>{props.error}</p>
      </Show>
    </div>
  );
}

/** An error that belongs to the whole form, shown above its button. */
export function FormAlert(props: { message?: string }) {
  return (
    <Show when={props.message}>
      <p class="alert" role="alert" data-testid="form-error">{props.message}</p>
    </Show>
  );
}
