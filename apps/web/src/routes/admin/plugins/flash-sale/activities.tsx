import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { FieldNote, FormRefusal, MarketingPage, SkuPicker, TextInput, type PickedSku } from '~/components/MarketingAdmin';
import { RadioChips } from '~/components/RadioChips';
import { createClientData, failedError, readyValue, toApiError } from '~/lib/client-data';
import { createAction } from '~/lib/form';
import { fenToYuanText, formatFen, formatTime, parseYuan } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { issuesOf, localInputMs, msLocalInput, placeIssues, pluginCall, type FlashActivity } from '~/lib/marketing-admin';
import type { MessageKey } from '~/i18n';

const PLUGIN = 'flash-sale';

/** E2 flash sales: the activities with sold units per SKU, a form to create or edit one, activate and disable. */
export default function FlashSaleActivitiesPage() {
  const { t } = useI18n();
  return (
    <MarketingPage title={t('padm.flash.title')} pluginId={PLUGIN}>
      {(me) => <Activities canManage={me().staff.permissions.includes('marketing.manage')} />}
    </MarketingPage>
  );
}

const PHASE: Record<FlashActivity['phase'], MessageKey> = {
  draft: 'padm.flash.phase.draft', disabled: 'padm.flash.phase.disabled', upcoming: 'padm.flash.phase.upcoming', live: 'padm.flash.phase.live', ended: 'padm.flash.phase.ended',
};

function Activities(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [data, { reload }] = createClientData(() => pluginCall<{ activities: FlashActivity[] }>('GET', PLUGIN, '/admin/activities').then((r) => r.activities));
  const [editing, setEditing] = createSignal<FlashActivity | 'new'>();
  const done = () => { setEditing(undefined); void reload(); };
  return (
    <>
      <div class="page-head">
        <h1>{t('padm.flash.title')}</h1>
        <Show when={props.canManage && !editing()}>
          <button type="button" class="button primary compact" data-testid="flash-new" onClick={() => setEditing('new')}>{t('padm.flash.new')}</button>
        </Show>
      </div>
      <Show when={editing()} keyed>
        {(current) => <ActivityForm activity={current === 'new' ? undefined : current} onCancel={() => setEditing(undefined)} onSaved={done} />}
      </Show>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())}>{(e) => <p class="alert" data-testid="padm-load-error">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(list) => (
            <Show when={list().length > 0} fallback={<p class="muted" data-testid="flash-empty">{t('padm.flash.empty')}</p>}>
              <ul class="plain-list" data-testid="flash-activities">
                <For each={list()}>
                  {(a) => <ActivityRow activity={a} canManage={props.canManage} onEdit={() => { setEditing(a); window.scrollTo(0, 0); }} onChanged={() => void reload()} />}
                </For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </>
  );
}

function ActivityRow(props: { activity: FlashActivity; canManage: boolean; onEdit: () => void; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const action = createAction();
  const a = () => props.activity;
  const move = (to: 'activate' | 'disable') => void action.run(async () => {
    await pluginCall('POST', PLUGIN, `/admin/activities/${encodeURIComponent(a().id)}/${to}`);
    props.onChanged();
  });
  return (
    <li class="card" data-testid="flash-row" data-id={a().id} data-status={a().status} data-phase={a().phase}>
      <div class="card-head">
        <strong data-testid="flash-row-name">{a().name}</strong>
        <span class="badge" classList={{ off: a().phase === 'disabled' || a().phase === 'ended' || a().phase === 'draft' }} data-testid="flash-row-phase">{t(PHASE[a().phase])}</span>
      </div>
      <p class="small muted">{formatTime(lang(), a().startsAt)} – {formatTime(lang(), a().endsAt)}</p>
      <div class="table-scroll">
        <table class="sku-table" data-testid="flash-row-entries">
          <thead><tr><th>{t('padm.flash.sku')}</th><th>{t('padm.flash.price')}</th><th>{t('padm.flash.sold')}</th><th>{t('padm.flash.limit')}</th></tr></thead>
          <tbody>
            <For each={a().entries}>
              {(e) => (
                <tr data-testid="flash-row-entry" data-sku={e.skuId}>
                  <td class="small"><code>{e.skuId}</code></td>
                  <td data-testid="flash-row-entry-price">{formatFen(e.flashPrice)}</td>
                  <td data-testid="flash-row-entry-sold">{t('padm.flash.soldOf', { sold: e.sold, stock: e.stock })}</td>
                  <td>{e.limitPerMember}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <Show when={action.error()}>{(m) => <p class="alert small" role="alert" data-testid="flash-row-error">{m()}</p>}</Show>
      <Show when={props.canManage && a().phase !== 'ended'}>
        <div class="actions">
          <button type="button" class="button compact" data-testid="flash-edit" onClick={() => props.onEdit()}>{t('padm.edit')}</button>
          <Show when={a().status === 'active'} fallback={
            <button type="button" class="button primary compact" disabled={action.busy()} data-testid="flash-activate" onClick={() => move('activate')}>{t('padm.flash.activate')}</button>
          }>
            <button type="button" class="button compact" disabled={action.busy()} data-testid="flash-disable" onClick={() => move('disable')}>{t('padm.disable')}</button>
          </Show>
        </div>
      </Show>
    </li>
  );
}

interface EntryDraft {
  productId: string;
  skuId: string;
  label: string;
  listPrice: number | null;
  flashPrice: string;
  stock: string;
  limit: string;
  sold: number;
}

function ActivityForm(props: { activity?: FlashActivity; onCancel: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const editing = props.activity;
  const [name, setName] = createSignal(editing?.name ?? '');
  const [startsAt, setStartsAt] = createSignal(msLocalInput(editing?.startsAt));
  const [endsAt, setEndsAt] = createSignal(msLocalInput(editing?.endsAt));
  const [status, setStatus] = createSignal<'active' | 'draft'>('active');
  const [entries, setEntries] = createStore<EntryDraft[]>((editing?.entries ?? []).map((e) => ({
    productId: e.productId, skuId: e.skuId, label: e.skuId, listPrice: null, flashPrice: fenToYuanText(e.flashPrice), stock: String(e.stock), limit: String(e.limitPerMember), sold: e.sold,
  })));
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [refusal, setRefusal] = createSignal<{ message: string; other: string[] }>();
  const [busy, setBusy] = createSignal(false);
  const keys = () => ['name', 'startsAt', 'endsAt', 'entries', ...entries.flatMap((_, i) => [`entries.${i}`, `entries.${i}.flashPrice`, `entries.${i}.stock`, `entries.${i}.limitPerMember`, `entries.${i}.skuId`])];

  const add = (sku: PickedSku) => {
    if (entries.some((e) => e.skuId === sku.skuId)) return;
    setEntries(entries.length, { productId: sku.productId, skuId: sku.skuId, label: sku.label, listPrice: sku.price, flashPrice: '', stock: '', limit: '1', sold: 0 });
  };

  async function save(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setRefusal(undefined);
    const local: Record<string, string> = {};
    const start = localInputMs(startsAt());
    const end = localInputMs(endsAt());
    if (!name().trim()) local.name = t('padm.required');
    if (start === undefined) local.startsAt = t('padm.invalidTime');
    if (end === undefined) local.endsAt = t('padm.invalidTime');
    if (entries.length === 0) local.entries = t('padm.flash.needSku');
    const body = entries.map((en, i) => {
      const price = parseYuan(en.flashPrice);
      if (price === undefined || price === 0) local[`entries.${i}.flashPrice`] = t('padm.invalidYuan');
      const stock = /^\d{1,7}$/.test(en.stock.trim()) ? Number(en.stock.trim()) : undefined;
      if (stock === undefined) local[`entries.${i}.stock`] = t('padm.invalidWhole');
      const limit = /^\d{1,3}$/.test(en.limit.trim()) ? Number(en.limit.trim()) : undefined;
      if (limit === undefined) local[`entries.${i}.limitPerMember`] = t('padm.invalidWhole');
      return { skuId: en.skuId, productId: en.productId, flashPrice: price ?? 0, stock: stock ?? 0, limitPerMember: limit ?? 1 };
    });
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const payload = { name: name(), startsAt: start ?? 0, endsAt: end ?? 0, entries: body };
      if (editing) await pluginCall('PATCH', PLUGIN, `/admin/activities/${encodeURIComponent(editing.id)}`, payload);
      else await pluginCall('POST', PLUGIN, '/admin/activities', { ...payload, status: status() });
      props.onSaved();
    } catch (error) {
      const apiError = toApiError(error);
      const { byField, other } = placeIssues(issuesOf(apiError), keys());
      setErrors(byField);
      setRefusal({ message: apiError.message, other });
    } finally {
      setBusy(false);
    }
  }

  const entryError = (i: number) => errors()[`entries.${i}`] ?? errors()[`entries.${i}.skuId`];

  return (
    <form class="card form" noValidate onSubmit={(e) => void save(e)} data-testid="flash-form" data-mode={editing ? 'edit' : 'new'}>
      <h2>{editing ? t('padm.flash.edit') : t('padm.flash.new')}</h2>
      <TextInput label={t('padm.name')} value={name()} onInput={setName} testid="flash-name" error={errors().name} maxLength={40} />
      <div class="grid2">
        <TextInput type="datetime-local" label={t('padm.startsAt')} value={startsAt()} onInput={setStartsAt} testid="flash-starts" error={errors().startsAt} />
        <TextInput type="datetime-local" label={t('padm.endsAt')} value={endsAt()} onInput={setEndsAt} testid="flash-ends" error={errors().endsAt} />
      </div>
      <Show when={!editing}>
        <div class="chip-group" style={{ margin: "0 0 0.9rem" }}>
          <p class="small">{t('padm.flash.startAs')}</p>
          <RadioChips name="flash-status" options={['active', 'draft'] as const} value={status()} testid="flash-status"
            label={(s) => t(s === 'active' ? 'padm.flash.startActive' : 'padm.flash.startDraft')} onChange={setStatus} />
        </div>
      </Show>
      <h3>{t('padm.flash.entries')}</h3>
      <FieldNote error={errors().entries} testid="flash-entries" />
      <For each={entries}>
        {(en, i) => (
          <div class="card" data-testid="flash-entry" data-sku={en.skuId}>
            <div class="card-head">
              <strong class="small">{en.label}</strong>
              <Show when={en.sold === 0}>
                <button type="button" class="link danger" data-testid="flash-entry-remove" onClick={() => setEntries((list) => list.filter((_, j) => j !== i()))}>{t('padm.remove')}</button>
              </Show>
            </div>
            <Show when={en.listPrice !== null}><p class="small muted">{t('padm.flash.listPrice', { price: formatFen(en.listPrice ?? 0) })}</p></Show>
            <Show when={en.sold > 0}><p class="small muted">{t('padm.flash.soldSoFar', { n: en.sold })}</p></Show>
            <FieldNote error={entryError(i())} testid={`flash-entry-${i()}`} />
            <div class="grid2">
              <TextInput label={t('padm.flash.flashPrice')} value={en.flashPrice} onInput={(v) => setEntries(i(), 'flashPrice', v)} testid="flash-entry-price" inputmode="decimal" error={errors()[`entries.${i()}.flashPrice`]} />
              <TextInput label={t('padm.flash.stock')} value={en.stock} onInput={(v) => setEntries(i(), 'stock', v)} testid="flash-entry-stock" inputmode="numeric" error={errors()[`entries.${i()}.stock`]} />
              <TextInput label={t('padm.flash.limit')} value={en.limit} onInput={(v) => setEntries(i(), 'limit', v)} testid="flash-entry-limit" inputmode="numeric" error={errors()[`entries.${i()}.limitPerMember`]} />
            </div>
          </div>
        )}
      </For>
      <SkuPicker onPick={add} testid="flash-picker" exclude={entries.map((e) => e.skuId)} />
      <FormRefusal message={refusal()?.message} other={refusal()?.other} testid="flash-form-error" />
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy()} data-testid="flash-save">{busy() ? t('common.saving') : t('common.save')}</button>
        <button type="button" class="button" onClick={() => props.onCancel()} data-testid="flash-cancel">{t('common.cancel')}</button>
      </div>
    </form>
  );
}
