import { A } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch, type Accessor } from 'solid-js';
import { AddressForm, AddressSummary } from '~/components/Addresses';
import { ShopGate } from '~/components/ShopGate';
import { StorePage } from '~/components/StorePage';
import { api } from '~/lib/api';
import { createMemberData, shownError, useLoginRedirect } from '~/lib/buyer';
import { failedError, readyValue, toApiError } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { Address, AddressInput, ShopInfo } from '~/lib/types';

/** The buyer's delivery addresses: list, add, delete, make default. */
export default function AddressesPage() {
  return <ShopGate>{(shop) => <AddressesView shop={shop} />}</ShopGate>;
}

function AddressesView(props: { shop: Accessor<ShopInfo> }) {
  const { t } = useI18n();
  const toLogin = useLoginRedirect();
  const [data, { reload }] = createMemberData(async () => (await api.get<{ addresses: Address[] }>('/api/member/addresses')).addresses);
  const [adding, setAdding] = createSignal(false);
  const [busy, setBusy] = createSignal<string>();
  const [error, setError] = createSignal<string>();

  async function act(id: string, action: () => Promise<unknown>) {
    if (busy()) return;
    setBusy(id);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      const apiError = toApiError(e);
      if (toLogin(apiError)) return;
      setError(apiError.message);
    } finally {
      await reload();
      setBusy(undefined);
    }
  }

  const remove = (address: Address) => {
    if (!window.confirm(t('address.confirmDelete'))) return;
    void act(address.id, () => api.delete(`/api/member/addresses/${encodeURIComponent(address.id)}`));
  };

  /**
   * There is no update route: the default is set by saving the same address again as the
   * default (the API clears the old default in the same batch), then removing the old copy.
   */
  const makeDefault = (address: Address) =>
    void act(address.id, async () => {
      const copy: AddressInput = {
        name: address.name, phone: address.phone, province: address.province, city: address.city,
        district: address.district, detail: address.detail, isDefault: true,
      };
      await api.post('/api/member/addresses', copy);
      await api.delete(`/api/member/addresses/${encodeURIComponent(address.id)}`);
    });

  return (
    <StorePage title={props.shop().name}>
      <nav class="crumbs small"><A href="/me">{t('me.short')}</A></nav>
      <div class="page-head">
        <h1>{t('me.addresses')}</h1>
        <Show when={!adding()}>
          <button type="button" class="button compact primary" data-testid="address-add" onClick={() => setAdding(true)}>{t('address.add')}</button>
        </Show>
      </div>
      <Show when={adding()}>
        <section class="card">
          <h2>{t('address.add')}</h2>
          <AddressForm makeDefault={readyValue(data())?.length === 0}
            onSaved={() => { setAdding(false); void reload(); }} onCancel={() => setAdding(false)} />
        </section>
      </Show>
      <Show when={error()}>{(message) => <p class="alert" role="alert" data-testid="address-error">{message()}</p>}</Show>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={shownError(failedError(data()))}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())?.length === 0 && !adding()}>
          <section class="empty" data-testid="addresses-empty"><p class="muted">{t('address.empty')}</p></section>
        </Match>
        <Match when={readyValue(data())}>
          {(list) => (
            <ul class="address-list">
              <For each={list()}>
                {(address, i) => (
                  <li class="card" data-testid="address-item" data-id={address.id} data-default={address.isDefault ? 'true' : 'false'}>
                    <AddressSummary address={address} />
                    <div class="row-actions">
                      <Show when={!address.isDefault}>
                        <button type="button" class="link" data-testid={`address-make-default-${i()}`} disabled={!!busy()}
                          onClick={() => makeDefault(address)}>{t('address.makeDefault')}</button>
                      </Show>
                      <button type="button" class="link danger" data-testid={`address-delete-${i()}`} disabled={!!busy()}
                        onClick={() => remove(address)}>{t('common.delete')}</button>
                    </div>
                  </li>
                )}
              </For>
            </ul>
          )}
        </Match>
      </Switch>
    </StorePage>
  );
}
