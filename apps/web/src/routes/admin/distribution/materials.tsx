import { createSignal, For, onMount, Show } from 'solid-js';
import { can } from '~/components/AdminFrame';
import { CursorListView } from '~/components/CursorList';
import { DistributionAdminPage } from '~/components/DistributionAdmin';
import { EditDeleteActions } from '~/components/DistributionAdminParts';
import { EmptyNote } from '~/components/DistributionParts';
import { ImageListEditor } from '~/components/ImageListEditor';
import { RadioChips } from '~/components/RadioChips';
import { api, fileUrl, queryString } from '~/lib/api';
import { createCursorList, type CursorPage } from '~/lib/cursor-list';
import { createAction } from '~/lib/form';
import { formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { AdminMaterial, MaterialKind } from '~/lib/types';

/** How many images each kind takes (the API's rule): one, two to nine, exactly nine. */
const IMAGE_COUNTS: Record<MaterialKind, [min: number, max: number]> = { single: [1, 1], multi: [2, 9], nine: [9, 9] };
const KINDS: readonly MaterialKind[] = ['single', 'multi', 'nine'];

/** D11: the materials library distributors share to Moments: single, several or nine images, and text. */
export default function AdminMaterials() {
  const { t } = useI18n();
  return (
    <DistributionAdminPage title={t('adminDist.materials.title')} tab="materials" permission="distributors.view">
      {(me) => <Materials canManage={can(me().staff, 'distributors.manage')} />}
    </DistributionAdminPage>
  );
}

function Materials(props: { canManage: boolean }) {
  const { t } = useI18n();
  const [editing, setEditing] = createSignal<AdminMaterial>();
  const list = createCursorList((cursor) => api.get<CursorPage<AdminMaterial>>(`/api/admin/distribution/materials${queryString({ cursor })}`));
  onMount(() => void list.reload());
  const saved = () => { setEditing(undefined); void list.reload(); };
  return (
    <>
      <h1>{t('adminDist.materials.title')}</h1>
      <Show when={props.canManage}>
        <Show when={editing()} keyed fallback={<MaterialForm onSaved={saved} />}>
          {(m) => <MaterialForm material={m} onSaved={saved} onCancel={() => setEditing(undefined)} />}
        </Show>
      </Show>
      <CursorListView list={list} testid="materials" empty={<EmptyNote text={t('dist.materialsEmpty')} testid="admin-materials-empty" />}>
        {(m) => <MaterialRow material={m} canManage={props.canManage} onEdit={() => setEditing(m)} onDeleted={() => void list.reload()} />}
      </CursorListView>
    </>
  );
}

function MaterialRow(props: { material: AdminMaterial; canManage: boolean; onEdit: () => void; onDeleted: () => void }) {
  const { t, lang } = useI18n();
  const m = () => props.material;
  return (
    <li class="card" data-testid="admin-material" data-kind={m().kind}>
      <div class="card-head">
        <strong>{m().title}</strong>
        <span class="badge">{t(`adminDist.materials.kind.${m().kind}`)}</span>
      </div>
      <p class="pre-line small">{m().text}</p>
      <ul class="image-list" classList={{ nine: m().kind === 'nine' }}>
        <For each={m().images}>{(key) => <li class="image-item"><img src={fileUrl(key)} alt="" loading="lazy" /></li>}</For>
      </ul>
      <p class="muted small">{formatTime(lang(), m().updatedAt)}<Show when={m().productTitle}>{(title) => <> · {title()}</>}</Show></p>
      <Show when={props.canManage}>
        <EditDeleteActions testid="material" deletePath={`/api/admin/distribution/materials/${encodeURIComponent(m().id)}`}
          confirm={t('adminDist.materials.confirmDelete', { title: m().title })} onEdit={props.onEdit} onDeleted={props.onDeleted} />
      </Show>
    </li>
  );
}

function MaterialForm(props: { material?: AdminMaterial; onSaved: () => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const existing = props.material;
  const [kind, setKind] = createSignal<MaterialKind>(existing?.kind ?? 'single');
  const [title, setTitle] = createSignal(existing?.title ?? '');
  const [text, setText] = createSignal(existing?.text ?? '');
  const [images, setImages] = createSignal<string[]>(existing ? [...existing.images] : []);
  const [uploading, setUploading] = createSignal(false);
  const action = createAction();
  const range = () => IMAGE_COUNTS[kind()];

  function save(e: SubmitEvent) {
    e.preventDefault();
    const [min, max] = range();
    if (!title().trim()) return action.setError(t('adminDist.materials.titleRequired'));
    if (images().length < min || images().length > max) return action.setError(t(`adminDist.materials.count.${kind()}`));
    const body = { kind: kind(), title: title().trim(), text: text().trim(), images: images() };
    void action.run(async () => {
      if (existing) await api.patch(`/api/admin/distribution/materials/${encodeURIComponent(existing.id)}`, body);
      else await api.post('/api/admin/distribution/materials', body);
      if (!existing) { setTitle(''); setText(''); setImages([]); }
      props.onSaved();
    });
  }

  return (
    <form class="card form" noValidate onSubmit={save} data-testid="material-form">
      <h2>{existing ? t('adminDist.materials.editTitle') : t('adminDist.materials.new')}</h2>
      <RadioChips name="material-kind" options={KINDS} value={kind()} testid="material-kind" label={(k) => t(`adminDist.materials.kind.${k}`)} onChange={setKind} />
      <div class="field">
        <label for="material-title">{t('adminDist.materials.titleLabel')}</label>
        <input id="material-title" class="input" maxLength={60} value={title()} data-testid="material-title" onInput={(e) => setTitle(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="material-text">{t('adminDist.materials.text')}</label>
        <textarea id="material-text" class="input plain-text" rows={4} maxLength={2000} value={text()} data-testid="material-text-input" onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <p class="hint">{t(`adminDist.materials.count.${kind()}`)}</p>
      <ImageListEditor images={images()} max={range()[1]} canManage onChange={setImages} onBusy={setUploading}
        onError={(message) => action.setError(message)} />
      <Show when={action.error()}>{(m) => <p class="alert" role="alert" data-testid="material-error">{m()}</p>}</Show>
      <div class="actions">
        <button type="submit" class="button primary compact" disabled={action.busy() || uploading()} data-testid="material-save">{t('common.save')}</button>
        <Show when={props.onCancel}><button type="button" class="button compact" onClick={() => props.onCancel?.()}>{t('common.cancel')}</button></Show>
      </div>
    </form>
  );
}
