import { A } from '@solidjs/router';
import { createEffect, createSignal, on, Show } from 'solid-js';
import { api } from '~/lib/api';
import { formatFen } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { pluginPath, storeChoice, type PointsMe } from '~/lib/plugin-widgets';
import type { WidgetProps } from '../PluginSlot';

/** Points (积分, PRODUCT E2) on the storefront: the member centre's balance and the checkout's offset toggle. */

function usePointsMe(pluginId: () => string) {
  const [me, setMe] = createSignal<PointsMe>();
  createEffect(on(pluginId, async (id) => {
    try {
      setMe(await api.get<PointsMe>(pluginPath(id, '/me?limit=1')));
    } catch {
      setMe(undefined);
    }
  }));
  return me;
}

/** Member centre: 我的积分 with the balance (and points still pending), linking to /points. */
export function PointsBalance(props: WidgetProps) {
  const { t } = useI18n();
  const me = usePointsMe(() => props.pluginId);
  return (
    <A href="/points" class="widget-entry" data-testid="points-balance-entry">
      <span class="widget-entry-icon" aria-hidden="true">积</span>
      <span class="widget-entry-text"><strong>{t('mkt.points.mine')}</strong></span>
      <Show when={me()}>
        {(m) => (
          <span class="small">
            <strong data-testid="points-balance" data-points={m().account.balance}>{m().account.balance}</strong>
            <Show when={m().account.pending > 0}><span class="muted"> {t('mkt.points.pendingShort', { n: m().account.pending })}</span></Show>
          </span>
        )}
      </Show>
      <span aria-hidden="true">›</span>
    </A>
  );
}

/**
 * Checkout: 使用积分抵扣 on or off (`choices.points.usePoints`: 'max' or 0). The points and amount
 * shown are the preview's (the applied offer), never worked out here.
 */
export function PointsOffsetToggle(props: WidgetProps) {
  const { t } = useI18n();
  const me = usePointsMe(() => props.pluginId);
  const offer = () => (props.ctx.offers ?? []).find((o) => o.pluginId === props.pluginId);
  const used = () => props.ctx.totals?.pointsUsed ?? offer()?.points ?? 0;
  const on_ = () => {
    const choice = props.ctx.choices?.[props.pluginId] as { usePoints?: number | 'max' } | undefined;
    if (choice && 'usePoints' in choice) return choice.usePoints !== 0;
    return used() > 0;
  };
  function toggle(next: boolean) {
    const choice = { usePoints: next ? 'max' : 0 };
    storeChoice(props.pluginId, choice);
    props.ctx.setChoice?.(props.pluginId, choice);
  }
  return (
    <Show when={me() && (me()!.account.balance > 0 || used() > 0)}>
      <label class="points-toggle" data-testid="points-toggle" data-on={on_() ? 'yes' : 'no'} data-used={used()}>
        <span class="points-toggle-text">
          <strong>{t('mkt.points.use')}</strong>
          <span class="muted small">
            {used() > 0 && offer()
              ? t('mkt.points.usedFor', { n: used(), amount: formatFen(offer()?.amount ?? 0) })
              : t('mkt.points.available', { n: me()?.account.balance ?? 0 })}
          </span>
        </span>
        <input type="checkbox" class="switch" data-testid="points-toggle-input" checked={on_()} onChange={(e) => toggle(e.currentTarget.checked)} />
      </label>
    </Show>
  );
}
