import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { AdminPage } from '~/components/AdminPage';
import { api } from '~/lib/api';
import { createClientData, readyValue, toApiError } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';

type OfferClass = 'flash' | 'member' | 'campaign' | 'coupon' | 'points';
type Pick = 'one' | 'one-per-target' | 'all';
type PairRule = 'stack' | 'separate-lines' | 'never';
interface Rules { pick: Record<OfferClass, Pick>; pairs: { classes: [OfferClass, OfferClass]; rule: PairRule }[] }
interface StackingView { overrides: Partial<Rules>; rules: Rules; defaults: Rules }

const classes: readonly OfferClass[] = ['flash', 'member', 'campaign', 'coupon', 'points'];
const picks: readonly Pick[] = ['one', 'one-per-target', 'all'];
const pairRules: readonly PairRule[] = ['stack', 'separate-lines', 'never'];
const pairKey = (p: readonly [OfferClass, OfferClass]) => [...p].sort().join('+');

/**
 * G2: how the plugins' offers combine in this shop (优惠叠加规则) — for each kind of offer, how
 * many survive in one order; for each two kinds, whether they stack, keep to separate lines, or
 * never go together. Cart, checkout and the order all price by these rules.
 */
export default function AdminPluginStacking() {
  const { t } = useI18n();
  return (
    <AdminPage title={t('stacking.title')} permission="plugins.manage">
      {() => <StackingView />}
    </AdminPage>
  );
}

function StackingView() {
  const { t } = useI18n();
  const [data, { set }] = createClientData(() => api.get<StackingView>('/api/admin/plugin-stacking'));
  return (
    <>
      <p class="small"><A href="/admin/plugins" data-testid="stacking-back">← {t('adminPlugins.title')}</A></p>
      <h1>{t('stacking.title')}</h1>
      <p class="muted small">{t('stacking.hint')}</p>
      <Show when={readyValue(data())} fallback={<p class="muted">{t('common.loading')}</p>}>
        {(view) => <StackingForm view={view()} onSaved={set} />}
      </Show>
    </>
  );
}

function StackingForm(props: { view: StackingView; onSaved: (v: StackingView) => void }) {
  const { t } = useI18n();
  const [pick, setPick] = createSignal<Record<OfferClass, Pick>>({ ...props.view.rules.pick });
  const [pairs, setPairs] = createSignal<Record<string, PairRule>>(Object.fromEntries(props.view.rules.pairs.map((p) => [pairKey(p.classes), p.rule])));
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [saved, setSaved] = createSignal(false);
  const allPairs = props.view.defaults.pairs.map((p) => p.classes);
  const className = (c: OfferClass) => t(`stacking.class.${c}`);

  async function put(body: unknown) {
    setBusy(true);
    setSaved(false);
    setError(undefined);
    try {
      const next = await api.put<StackingView>('/api/admin/plugin-stacking', body);
      setPick({ ...next.rules.pick });
      setPairs(Object.fromEntries(next.rules.pairs.map((p) => [pairKey(p.classes), p.rule])));
      props.onSaved(next);
      setSaved(true);
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  }

  function save(e: SubmitEvent) {
    e.preventDefault();
    // Only what differs from the defaults is stored: a later default change still reaches this shop.
    const d = props.view.defaults;
    const pickOverrides = Object.fromEntries(classes.filter((c) => pick()[c] !== d.pick[c]).map((c) => [c, pick()[c]]));
    const defaultRule = new Map(d.pairs.map((p) => [pairKey(p.classes), p.rule]));
    const pairOverrides = allPairs.filter((p) => pairs()[pairKey(p)] !== defaultRule.get(pairKey(p))).map((p) => ({ classes: p, rule: pairs()[pairKey(p)]! }));
    void put({ pick: pickOverrides, pairs: pairOverrides });
  }

  return (
    <form class="card" noValidate onSubmit={save} data-testid="stacking-form">
      <h2>{t('stacking.picks')}</h2>
      <For each={classes}>
        {(c) => (
          <div class="field">
            <label for={`pick-${c}`}>{className(c)}</label>
            <select id={`pick-${c}`} class="input" value={pick()[c]} data-testid={`stacking-pick-${c}`}
              onChange={(e) => setPick({ ...pick(), [c]: e.currentTarget.value as Pick })}>
              <For each={picks}>{(p) => <option value={p}>{t(`stacking.pick.${p}`)}</option>}</For>
            </select>
          </div>
        )}
      </For>
      <h2>{t('stacking.pairs')}</h2>
      <For each={allPairs}>
        {(p) => (
          <div class="field">
            <label for={`pair-${pairKey(p)}`}>{t('stacking.pairLabel', { a: className(p[0]), b: className(p[1]) })}</label>
            <select id={`pair-${pairKey(p)}`} class="input" value={pairs()[pairKey(p)]} data-testid={`stacking-pair-${pairKey(p)}`}
              onChange={(e) => setPairs({ ...pairs(), [pairKey(p)]: e.currentTarget.value as PairRule })}>
              <For each={pairRules}>{(r) => <option value={r}>{t(`stacking.rule.${r}`)}</option>}</For>
            </select>
          </div>
        )}
      </For>
      <Show when={error()}>{(message) => <p class="alert" role="alert" data-testid="form-error">{message()}</p>}</Show>
      <Show when={saved()}><p class="notice" data-testid="stacking-saved">{t('stacking.saved')}</p></Show>
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy()} data-testid="stacking-save">{t('stacking.save')}</button>
        <button type="button" class="button" disabled={busy()} data-testid="stacking-reset" onClick={() => void put({})}>{t('stacking.reset')}</button>
      </div>
    </form>
  );
}
