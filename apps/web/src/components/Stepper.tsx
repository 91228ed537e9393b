import { createEffect, createSignal, on } from 'solid-js';
import { useI18n } from '~/lib/i18n-context';

interface StepperProps {
  value: number;
  min?: number;
  max: number;
  onChange: (value: number) => void;
  disabled?: boolean;
  /** testid of the whole control; its parts are `{testid}-minus`, `{testid}-input`, `{testid}-plus`. */
  testid: string;
}

/** − [n] + : a whole quantity between min and max; typing is committed on blur or Enter. */
export function Stepper(props: StepperProps) {
  const { t } = useI18n();
  const min = () => props.min ?? 1;
  const [text, setText] = createSignal(String(props.value));
  createEffect(on(() => props.value, (v) => setText(String(v)), { defer: true }));

  const clamp = (n: number) => Math.min(Math.max(n, min()), Math.max(min(), props.max));
  const commit = () => {
    const n = Number.parseInt(text(), 10);
    const next = Number.isFinite(n) ? clamp(n) : props.value;
    setText(String(next));
    if (next !== props.value) props.onChange(next);
  };
  const step = (delta: number) => {
    const next = clamp(props.value + delta);
    if (next !== props.value) props.onChange(next);
  };

  return (
    <div class="stepper" data-testid={props.testid} data-value={props.value}>
      <button type="button" aria-label={t('stepper.less')} data-testid={`${props.testid}-minus`}
        disabled={props.disabled || props.value <= min()} onClick={() => step(-1)}>−</button>
      <input type="text" inputmode="numeric" pattern="[0-9]*" aria-label={t('stepper.quantity')} data-testid={`${props.testid}-input`}
        value={text()} disabled={props.disabled}
        onInput={(e) => setText(e.currentTarget.value.replace(/\D/g, '').slice(0, 3))}
        onBlur={commit} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); commit(); } }} />
      <button type="button" aria-label={t('stepper.more')} data-testid={`${props.testid}-plus`}
        disabled={props.disabled || props.value >= props.max} onClick={() => step(1)}>+</button>
    </div>
  );
}
