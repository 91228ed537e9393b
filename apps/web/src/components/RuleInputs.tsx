import { Index, Show } from 'solid-js';
import { bpsToPercentText, parsePercent } from '~/lib/distribution';
import { fenToYuanText, parseYuan } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { CommissionRule } from '~/lib/types';
import { RadioChips } from './RadioChips';

type Mode = CommissionRule['mode'];

/** A rate as typed: basis points as a percentage, fen as yuan. */
export const ruleInputText = (mode: Mode, value: number | undefined): string =>
  (value === undefined ? '' : mode === 'bps' ? bpsToPercentText(value) : fenToYuanText(value));

/** The typed rates as the API takes them (blank is 0), or undefined when one does not parse. */
export function parseRuleInputs(mode: Mode, texts: readonly string[]): number[] | undefined {
  const values = texts.map((text) => (text.trim() === '' ? 0 : mode === 'bps' ? parsePercent(text) : parseYuan(text)));
  return values.some((v) => v === undefined) ? undefined : (values as number[]);
}

/**
 * A commission rule's inputs (D5): percentage of what the buyer paid, or a fixed amount per
 * piece, for each of `count` levels. Switching the mode clears the rates (their unit changed).
 */
export function RuleInputs(props: {
  mode: Mode;
  values: readonly string[];
  count: number;
  testid: string;
  error?: string;
  hint?: string;
  onMode: (mode: Mode) => void;
  onValue: (level: number, text: string) => void;
}) {
  const { t } = useI18n();
  const unit = () => (props.mode === 'bps' ? '%' : t('adminDist.settings.yuanPerPiece'));
  return (
    <div class="rule-inputs" data-testid={props.testid}>
      <RadioChips name={`${props.testid}-mode`} options={['bps', 'fixed'] as const} value={props.mode} testid={`${props.testid}-mode`}
        label={(mode) => t(`adminDist.settings.mode.${mode}`)} onChange={props.onMode} />
      <div class="grid3">
        <Index each={props.values.slice(0, props.count)}>
          {(value, i) => (
            <div class="field">
              <label for={`${props.testid}-${i + 1}`}>{t('dist.levelRate', { n: i + 1 })} ({unit()})</label>
              <input id={`${props.testid}-${i + 1}`} class="input" inputmode="decimal" value={value()} data-testid={`${props.testid}-${i + 1}`}
                aria-invalid={props.error ? 'true' : undefined} onInput={(e) => props.onValue(i, e.currentTarget.value)} />
            </div>
          )}
        </Index>
      </div>
      <Show when={props.error} fallback={<Show when={props.hint}><p class="hint">{props.hint}</p></Show>}>
        <p class="error" role="alert" data-testid={`${props.testid}-error`}>{props.error}</p>
      </Show>
    </div>
  );
}
