import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { FormRefusal, MarketingPage, TextInput } from '~/components/MarketingAdmin';
import { RadioChips } from '~/components/RadioChips';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { createAction } from '~/lib/form';
import { formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { issuesOf, parseWhole, placeIssues, pluginCall, type PointsGoods, type Redemption } from '~/lib/marketing-admin';
import type { MessageKey } from '~/i18n';

const PLUGIN = 'points';

/** E4 points mall: goods bought with points, the redemptions to fulfil or cancel, and points adjustments by hand. */
export default function PointsGoodsPage() {
  const { t } = useI18n();
  return (
    <MarketingPage title={t('padm.points.title')} pluginId={PLUGIN}>
      {(me) => {
        const canManage = me().staff.permissions.includes('marketing.manage');
        return (
          <>
            <h1>{t('padm.points.title')}</h1>
            <Goods canManage={canManage} />
            <Redemptions canManage={canManage} />
            <Show when={canManage}><AdjustForm /></Show>
          </>
        );
      }}
    </MarketingPage>
  );
}

function Goods(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [data, { reload }] = createClientData(() => pluginCall<{ goods: PointsGoods[] }>('GET', PLUGIN, '/admin/goods').then((r) => r.goods));
  const [editing, setEditing] = createSignal<PointsGoods | 'new'>();
  return (
    <section data-testid="points-goods-section">
      <div class="page-head">
        <h2>{t('padm.points.goods')}</h2>
        <Show when={props.canManage && !editing()}>
          <button type="button" class="button primary compact" data-testid="points-goods-new" onClick={() => setEditing('new')}>{t('padm.points.newGoods')}</button>
        </Show>
      </div>
      <Show when={editing()} keyed>
        {(g) => <GoodsForm goods={g === 'new' ? undefined : g} onCancel={() => setEditing(undefined)} onSaved={() => { setEditing(undefined); void reload(); }} />}
      </Show>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert" data-testid="padm-load-error">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(list) => (
            <Show when={list().length > 0} fallback={<p class="muted" data-testid="points-goods-empty">{t('padm.points.goodsEmpty')}</p>}>
              <ul class="plain-list" data-testid="points-goods">
                <For each={list()}>
                  {(g) => (
                    <li class="card" data-testid="points-goods-row" data-id={g.id} data-status={g.status}>
                      <div class="card-head">
                        <strong>{g.name}</strong>
                        <span class="badge" classList={{ off: g.status !== 'active' }}>{t(g.status === 'active' ? 'padm.status.active' : 'padm.status.disabled')}</span>
                      </div>
                      <p class="small" data-testid="points-goods-line">{t('padm.points.goodsLine', { points: g.pointsPrice, stock: g.stock })} · {t('padm.points.redeemed', { n: g.redeemed })}</p>
                      <Show when={props.canManage}>
                        <div class="actions">
                          <button type="button" class="button compact" data-testid="points-goods-edit" onClick={() => { setEditing(g); window.scrollTo(0, 0); }}>{t('padm.edit')}</button>
                        </div>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </section>
  );
}

const GOODS_FIELDS = ['name', 'description', 'imageUrl', 'pointsPrice', 'stock', 'perMemberLimit', 'status', 'sort'] as const;

function GoodsForm(props: { goods?: PointsGoods; onCancel: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const g = props.goods;
  const [f, setF] = createStore({
    name: g?.name ?? '', description: g?.description ?? '', imageUrl: g?.imageUrl ?? '', pointsPrice: g ? String(g.pointsPrice) : '',
    stock: g ? String(g.stock) : '', perMemberLimit: g?.perMemberLimit != null ? String(g.perMemberLimit) : '', status: (g?.status ?? 'active') as 'active' | 'disabled', sort: String(g?.sort ?? 0),
  });
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [refusal, setRefusal] = createSignal<{ message: string; other: string[] }>();
  const [busy, setBusy] = createSignal(false);

  async function save(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setRefusal(undefined);
    const local: Record<string, string> = {};
    const whole = (text: string, key: string, signed = false) => {
      const v = parseWhole(text, signed);
      if (v === undefined) local[key] = t('padm.invalidWhole');
      return v ?? 0;
    };
    const body = {
      name: f.name, description: f.description, imageUrl: f.imageUrl.trim() === '' ? null : f.imageUrl.trim(),
      pointsPrice: whole(f.pointsPrice, 'pointsPrice'), stock: whole(f.stock, 'stock'),
      perMemberLimit: f.perMemberLimit.trim() === '' ? null : whole(f.perMemberLimit, 'perMemberLimit'), status: f.status, sort: whole(f.sort, 'sort', true),
    };
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      if (g) await pluginCall('PUT', PLUGIN, `/admin/goods/${encodeURIComponent(g.id)}`, { ...body, stockShown: g.stock });
      else await pluginCall('POST', PLUGIN, '/admin/goods', body);
      props.onSaved();
    } catch (error) {
      const apiError = toApiError(error);
      const { byField, other } = placeIssues(issuesOf(apiError), [...GOODS_FIELDS]);
      setErrors(byField);
      setRefusal({ message: apiError.message, other });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form" noValidate onSubmit={(e) => void save(e)} data-testid="points-goods-form">
      <h2>{g ? t('padm.points.editGoods') : t('padm.points.newGoods')}</h2>
      <TextInput label={t('padm.name')} value={f.name} onInput={(v) => setF('name', v)} testid="points-goods-name" error={errors().name} maxLength={60} />
      <div class="grid2">
        <TextInput label={t('padm.points.pointsPrice')} value={f.pointsPrice} onInput={(v) => setF('pointsPrice', v)} testid="points-goods-price" inputmode="numeric" error={errors().pointsPrice} />
        <TextInput label={t('padm.points.stock')} value={f.stock} onInput={(v) => setF('stock', v)} testid="points-goods-stock" inputmode="numeric" error={errors().stock} />
        <TextInput label={t('padm.points.perMemberLimit')} value={f.perMemberLimit} onInput={(v) => setF('perMemberLimit', v)} testid="points-goods-limit" inputmode="numeric" error={errors().perMemberLimit} />
        <TextInput label={t('padm.points.sort')} value={f.sort} onInput={(v) => setF('sort', v)} testid="points-goods-sort" inputmode="numeric" error={errors().sort} />
      </div>
      <TextInput label={t('padm.points.imageUrl')} value={f.imageUrl} onInput={(v) => setF('imageUrl', v)} testid="points-goods-image" error={errors().imageUrl} />
      <TextInput label={t('padm.description')} value={f.description} onInput={(v) => setF('description', v)} testid="points-goods-description" error={errors().description} maxLength={500} hint={t('padm.optional')} />
      <div class="chip-group" style={{ margin: "0 0 0.9rem" }}>
        <p class="small">{t('padm.points.status')}</p>
        <RadioChips name="points-goods-status" options={['active', 'disabled'] as const} value={f.status} testid="points-goods-status"
          label={(s) => t(s === 'active' ? 'padm.status.active' : 'padm.status.disabled')} onChange={(s) => setF('status', s)} />
      </div>
      <FormRefusal message={refusal()?.message} other={refusal()?.other} testid="points-goods-form-error" />
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy()} data-testid="points-goods-save">{busy() ? t('common.saving') : t('common.save')}</button>
        <button type="button" class="button" onClick={() => props.onCancel()}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

const REDEMPTION: Record<Redemption['status'], MessageKey> = {
  pending_fulfilment: 'padm.points.redemption.pending_fulfilment', fulfilled: 'padm.points.redemption.fulfilled', cancelled: 'padm.points.redemption.cancelled',
};

function Redemptions(props: { canManage: boolean }) {
  const { t, lang } = useI18n();
  const [status, setStatus] = createSignal<Redemption['status']>('pending_fulfilment');
  const [data, { reload }] = createClientData(() => pluginCall<{ redemptions: Redemption[] }>('GET', PLUGIN, `/admin/redemptions?status=${status()}`).then((r) => r.redemptions));
  return (
    <section class="card" data-testid="points-redemptions">
      <h2>{t('padm.points.redemptions')}</h2>
      <RadioChips name="redemption-status" options={['pending_fulfilment', 'fulfilled', 'cancelled'] as const} value={status()} testid="points-redemptions-status"
        label={(s) => t(REDEMPTION[s])} onChange={(s) => { setStatus(s); void reload(); }} />
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(list) => (
            <Show when={list().length > 0} fallback={<p class="muted small" data-testid="points-redemptions-empty">{t('padm.points.redemptionsEmpty')}</p>}>
              <ul class="audit-list">
                <For each={list()}>
                  {(r) => <RedemptionRow redemption={r} canManage={props.canManage} lang={lang()} onChanged={() => void reload()} />}
                </For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </section>
  );
}

function RedemptionRow(props: { redemption: Redemption; canManage: boolean; lang: 'zh-CN' | 'en'; onChanged: () => void }) {
  const { t } = useI18n();
  const action = createAction();
  const [note, setNote] = createSignal('');
  const r = () => props.redemption;
  const move = (to: 'fulfil' | 'cancel') => void action.run(async () => {
    await pluginCall('POST', PLUGIN, `/admin/redemptions/${encodeURIComponent(r().id)}/${to}`, { note: note().trim() || null });
    props.onChanged();
  });
  return (
    <li class="audit-row" data-testid="points-redemption" data-id={r().id} data-status={r().status}>
      <strong>{r().goodsName}</strong> <span class="badge off">{t(REDEMPTION[r().status])}</span>
      <p class="small muted">{t('padm.points.redemptionLine', { member: r().memberId, points: r().points, time: formatTime(props.lang, r().createdAt) })}</p>
      <Show when={r().note}>{(n) => <p class="small">{n()}</p>}</Show>
      <Show when={action.error()}>{(m) => <p class="alert small" role="alert">{m()}</p>}</Show>
      <Show when={props.canManage && r().status === 'pending_fulfilment'}>
        <div class="inline-form">
          <input class="input compact" value={note()} placeholder={t('padm.points.note')} maxLength={200} data-testid="points-redemption-note" onInput={(e) => setNote(e.currentTarget.value)} />
          <button type="button" class="button primary compact" disabled={action.busy()} data-testid="points-redemption-fulfil" onClick={() => move('fulfil')}>{t('padm.points.fulfil')}</button>
          <button type="button" class="button danger compact" disabled={action.busy()} data-testid="points-redemption-cancel" onClick={() => move('cancel')}>{t('padm.points.cancel')}</button>
        </div>
      </Show>
    </li>
  );
}

function AdjustForm() {
  const { t } = useI18n();
  const [f, setF] = createStore({ memberId: '', delta: '', reason: '' });
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [refusal, setRefusal] = createSignal<{ message: string; other: string[] }>();
  const [done, setDone] = createSignal<number>();
  const [busy, setBusy] = createSignal(false);
  // One id per adjustment typed: a retry of the same submit posts once.
  let requestId = crypto.randomUUID();

  async function save(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setRefusal(undefined);
    setDone(undefined);
    const delta = parseWhole(f.delta, true);
    if (delta === undefined) return setErrors({ delta: t('padm.invalidWhole') });
    setErrors({});
    setBusy(true);
    try {
      const r = await pluginCall<{ account?: { balance?: number }; balance?: number }>('POST', PLUGIN, '/admin/adjust', { memberId: f.memberId.trim(), delta, reason: f.reason, requestId });
      setDone(r.account?.balance ?? r.balance ?? 0);
      setF({ memberId: '', delta: '', reason: '' });
      requestId = crypto.randomUUID();
    } catch (error) {
      const apiError = toApiError(error);
      const { byField, other } = placeIssues(issuesOf(apiError), ['memberId', 'delta', 'reason']);
      setErrors(byField);
      setRefusal({ message: apiError.message, other });
    } finally {
      setBusy(false);
    }
  }

  const edit = (key: 'memberId' | 'delta' | 'reason', v: string) => { setF(key, v); requestId = crypto.randomUUID(); };

  return (
    <form class="card form" noValidate onSubmit={(e) => void save(e)} data-testid="points-adjust-form">
      <h2>{t('padm.points.adjust')}</h2>
      <TextInput label={t('padm.points.memberId')} value={f.memberId} onInput={(v) => edit('memberId', v)} testid="points-adjust-member" error={errors().memberId} hint={t('padm.points.memberIdHint')} />
      <TextInput label={t('padm.points.delta')} value={f.delta} onInput={(v) => edit('delta', v)} testid="points-adjust-delta" inputmode="numeric" error={errors().delta} hint={t('padm.points.deltaHint')} />
      <TextInput label={t('padm.points.reason')} value={f.reason} onInput={(v) => edit('reason', v)} testid="points-adjust-reason" error={errors().reason} maxLength={200} />
      <FormRefusal message={refusal()?.message} other={refusal()?.other} testid="points-adjust-error" />
      <Show when={done() !== undefined}><p class="notice" data-testid="points-adjust-done">{t('padm.points.adjusted', { balance: done() ?? 0 })}</p></Show>
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy()} data-testid="points-adjust-save">{t('padm.points.adjustSubmit')}</button>
      </div>
    </form>
  );
}
