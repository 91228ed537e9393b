import { createSignal, Index, Show } from 'solid-js';
import { apiUpload, fileUrl } from '~/lib/api';
import { toApiError } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { UploadedImage } from '~/lib/types';

const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * An ordered list of uploaded images (products, share materials): upload (raw bytes to
 * /api/admin/uploads), reorder, remove; the first is marked as the cover when `coverLabel` is on.
 * Problems go to `onError` (undefined clears it); `onBusy` tells the form an upload is running.
 */
export function ImageListEditor(props: {
  images: string[];
  max: number;
  canManage: boolean;
  onChange: (images: string[]) => void;
  onError: (message: string | undefined) => void;
  onBusy?: (busy: boolean) => void;
  showCover?: boolean;
}) {
  const { t } = useI18n();
  const [uploading, setUploading] = createSignal(false);

  async function upload(input: HTMLInputElement) {
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (files.length === 0) return;
    props.onError(undefined);
    setUploading(true);
    props.onBusy?.(true);
    try {
      for (const file of files) {
        if (props.images.length >= props.max) {
          props.onError(t('product.imageLimit', { n: props.max }));
          break;
        }
        // The server checks the bytes; these two only spare a pointless upload.
        if (!file.type.startsWith('image/')) {
          props.onError(t('product.imageTypeUnsupported'));
          continue;
        }
        if (file.size > MAX_IMAGE_BYTES) {
          props.onError(t('product.imageTooLarge'));
          continue;
        }
        try {
          const image = await apiUpload<UploadedImage>('/api/admin/uploads', file, file.type);
          if (!props.images.includes(image.key)) props.onChange([...props.images, image.key]);
        } catch (e) {
          props.onError(`${file.name}: ${toApiError(e).message}`);
        }
      }
    } finally {
      setUploading(false);
      props.onBusy?.(false);
    }
  }

  function move(from: number, to: number) {
    if (to < 0 || to >= props.images.length) return;
    const next = [...props.images];
    const [moved] = next.splice(from, 1);
    if (moved !== undefined) next.splice(to, 0, moved);
    props.onChange(next);
  }

  return (
    <ul class="image-list" data-testid="image-list">
      <Index each={props.images}>
        {(key, i) => (
          <li class="image-item" data-testid="image-item">
            <img src={fileUrl(key())} alt="" />
            <Show when={props.showCover && i === 0}><span class="cover-badge" data-testid="image-cover">{t('product.cover')}</span></Show>
            <Show when={props.canManage}>
              <div class="image-actions">
                <button type="button" aria-label={t('product.moveLeft')} title={t('product.moveLeft')} data-testid="image-left"
                  disabled={i === 0} onClick={() => move(i, i - 1)}>‹</button>
                <button type="button" aria-label={t('common.remove')} title={t('common.remove')} data-testid="image-remove"
                  onClick={() => props.onChange(props.images.filter((_, j) => j !== i))}>×</button>
                <button type="button" aria-label={t('product.moveRight')} title={t('product.moveRight')} data-testid="image-right"
                  disabled={i === props.images.length - 1} onClick={() => move(i, i + 1)}>›</button>
              </div>
            </Show>
          </li>
        )}
      </Index>
      <Show when={props.canManage && props.images.length < props.max}>
        <li class="image-item upload">
          <label>
            <span>{uploading() ? t('product.uploading') : `+ ${t('product.addImage')}`}</span>
            <input type="file" accept="image/png,image/jpeg,image/webp,image/gif" multiple data-testid="image-upload"
              disabled={uploading()} onChange={(e) => void upload(e.currentTarget)} />
          </label>
        </li>
      </Show>
    </ul>
  );
}
