import { For, Show } from 'solid-js';
import { formatFen, formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';

/** The state kinds of distribution, each with its labels under `{kind}Status.{status}` in i18n. */
type StateKind = 'commission' | 'withdrawal' | 'distributor';

/** 待结算 / 已冻结 / 提现中 / 已打款 / 待审核 …: a state as a coloured label (storefront and admin). */
export function StateBadge(props: { kind: StateKind; status: string; testid?: string }) {
  const { tOr } = useI18n();
  return (
    <span class={`order-status state-${props.status}`} data-testid={props.testid ?? `${props.kind}-status`} data-status={props.status}>
      {tOr(`${props.kind}Status.${props.status}`, props.status)}
    </span>
  );
}

/** A person's picture, or the first letter of their name. */
export function Avatar(props: { src: string | null; name: string; small?: boolean }) {
  return (
    <Show when={props.src} fallback={<div class="avatar" classList={{ small: props.small }} aria-hidden="true">{props.name.slice(0, 1).toUpperCase()}</div>}>
      {(src) => <img class="avatar" classList={{ small: props.small }} src={src()} alt="" loading="lazy" />}
    </Show>
  );
}

/** Tabs that are buttons (the list is chosen in the page, not in the URL). */
export function ButtonTabs<K extends string>(props: { tabs: readonly K[]; active: K; label: (key: K) => string; testid: string; onChange: (key: K) => void }) {
  return (
    <nav class="sort-tabs scroll-tabs" role="tablist">
      <For each={props.tabs}>
        {(key) => (
          <button type="button" role="tab" aria-selected={props.active === key} classList={{ active: props.active === key }}
            data-testid={`${props.testid}-${key}`} onClick={() => props.onChange(key)}>{props.label(key)}</button>
        )}
      </For>
    </nav>
  );
}

export function EmptyNote(props: { text: string; testid: string }) {
  return <p class="empty muted" data-testid={props.testid}>{props.text}</p>;
}

/** A statement's second line: how many commissions settled when, and the debt it paid off. */
export function StatementFigures(props: { commissions: number; createdAt: number; debtPaid: number }) {
  const { t, lang } = useI18n();
  return (
    <p class="muted small">
      {t('dist.statementLine', { n: props.commissions, time: formatTime(lang(), props.createdAt) })}
      <Show when={props.debtPaid > 0}> · {t('dist.debtPaid', { amount: formatFen(props.debtPaid) })}</Show>
    </p>
  );
}
