import { createSignal, Show } from 'solid-js';
import { api } from '~/lib/api';
import { addressText } from '~/lib/buyer';
import { createForm } from '~/lib/form';
import { useI18n } from '~/lib/i18n-context';
import type { Address, AddressInput, OrderAddress } from '~/lib/types';
import { Field, FormAlert } from './Field';

type AddressField = 'name' | 'phone' | 'province' | 'city' | 'district' | 'detail';

/** What the API accepts (buyer.ts AddressInput), checked here first so errors sit by their field. */
const PHONE = /^\+?[\d -]{6,20}$/;
const LIMITS: Record<AddressField, { min: number; max: number }> = {
  name: { min: 1, max: 20 }, phone: { min: 6, max: 20 }, province: { min: 1, max: 20 },
  city: { min: 1, max: 20 }, district: { min: 0, max: 20 }, detail: { min: 1, max: 120 },
};

/**
 * 新增地址: name, phone, province, city, district, detail and "set as default". The saved
 * address (201) goes to `onSaved`; the first address of a buyer is the default anyway.
 */
export function AddressForm(props: { onSaved: (address: Address) => void; onCancel?: () => void; makeDefault?: boolean }) {
  const { t } = useI18n();
  const form = createForm<AddressField>({ name: '', phone: '', province: '', city: '', district: '', detail: '' });
  const [isDefault, setIsDefault] = createSignal(props.makeDefault ?? false);

  function check(values: Record<AddressField, string>) {
    const errors: Partial<Record<AddressField, string>> = {};
    for (const field of Object.keys(LIMITS) as AddressField[]) {
      const value = values[field].trim();
      if (value.length < LIMITS[field].min) errors[field] = t('address.required');
      else if (value.length > LIMITS[field].max) errors[field] = t('address.tooLong', { n: LIMITS[field].max });
    }
    if (!errors.phone && !PHONE.test(values.phone.trim())) errors.phone = t('address.phoneInvalid');
    return errors;
  }

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const problems = check(form.values());
    if (Object.keys(problems).length > 0) {
      form.setErrors(problems);
      return;
    }
    void form.submit(async (values) => {
      const body: AddressInput = {
        name: values.name.trim(), phone: values.phone.trim(), province: values.province.trim(), city: values.city.trim(),
        district: values.district.trim(), detail: values.detail.trim(), isDefault: isDefault(),
      };
      const { address } = await api.post<{ address: Address }>('/api/member/addresses', body);
      props.onSaved(address);
    });
  };

  const field = (name: AddressField, label: string, extra: { type?: 'tel'; autocomplete?: string; hint?: string } = {}) => (
    <Field name={`address-${name}`} testid={`address-${name}`} label={label} type={extra.type} inputmode={extra.type === 'tel' ? 'tel' : undefined}
      autocomplete={extra.autocomplete} hint={extra.hint} maxLength={LIMITS[name].max}
      value={form.values()[name]} onInput={(v) => form.set(name, v)} error={form.errors()[name]} />
  );

  return (
    <form class="form address-form" noValidate onSubmit={submit} data-testid="address-form">
      {field('name', t('address.name'), { autocomplete: 'name' })}
      {field('phone', t('address.phone'), { type: 'tel', autocomplete: 'tel' })}
      <div class="address-region">
        {field('province', t('address.province'), { autocomplete: 'address-level1' })}
        {field('city', t('address.city'), { autocomplete: 'address-level2' })}
        {field('district', t('address.district'), { autocomplete: 'address-level3', hint: t('address.optional') })}
      </div>
      {field('detail', t('address.detail'), { autocomplete: 'street-address' })}
      <label class="check">
        <input type="checkbox" checked={isDefault()} data-testid="address-default" onChange={(e) => setIsDefault(e.currentTarget.checked)} />
        {t('address.setDefault')}
      </label>
      <FormAlert message={form.errors().form} />
      <div class="actions">
        <button type="submit" class="button primary" disabled={form.busy()} data-testid="address-save">
          {form.busy() ? t('common.saving') : t('address.save')}
        </button>
        <Show when={props.onCancel}>
          {(cancel) => <button type="button" class="button" data-testid="address-cancel" onClick={() => cancel()()}>{t('common.cancel')}</button>}
        </Show>
      </div>
    </form>
  );
}

/** 张三 138****8000 [默认] / 广东省 深圳市 南山区 科技园路 1 号 */
export function AddressSummary(props: { address: OrderAddress & { isDefault?: boolean } }) {
  const { t } = useI18n();
  return (
    <div class="address-summary">
      <div class="address-who">
        <strong data-testid="address-who-name">{props.address.name}</strong>
        <span>{props.address.phone}</span>
        <Show when={props.address.isDefault}><span class="badge" data-testid="address-default-badge">{t('address.default')}</span></Show>
      </div>
      <div class="muted small address-where">{addressText(props.address)}</div>
    </div>
  );
}
