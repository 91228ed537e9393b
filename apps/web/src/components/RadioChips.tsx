import { For } from 'solid-js';

/** One choice out of a few, as a row of chips with a radio each (`{testid}-{option}` on the radios). */
export function RadioChips<K extends string>(props: {
  name: string;
  options: readonly K[];
  value: K;
  label: (option: K) => string;
  testid: string;
  onChange: (option: K) => void;
}) {
  return (
    <div class="chips">
      <For each={props.options}>
        {(option) => (
          <label class="chip" classList={{ active: props.value === option }}>
            <input type="radio" name={props.name} value={option} checked={props.value === option} data-testid={`${props.testid}-${option}`}
              onChange={() => props.onChange(option)} />
            {' '}{props.label(option)}
          </label>
        )}
      </For>
    </div>
  );
}
