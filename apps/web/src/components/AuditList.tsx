import { For, Show } from 'solid-js';
import { formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import type { AuditItem } from '~/lib/types';

/** Audit entries, newest first; each row opens to show the change as before/after JSON. */
export function AuditList(props: { items: AuditItem[] }) {
  const { t } = useI18n();
  return (
    <Show when={props.items.length > 0} fallback={<p class="muted" data-testid="audit-empty">{t('audit.empty')}</p>}>
      <ul class="audit-list">
        <For each={props.items}>{(item) => <AuditRow item={item} />}</For>
      </ul>
    </Show>
  );
}

function AuditRow(props: { item: AuditItem }) {
  const { t, tOr, lang } = useI18n();
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return (
    <li class="audit-row" data-testid="audit-row" data-entity={props.item.entity} data-action={props.item.action}>
      <div class="audit-head">
        <strong>{tOr(`audit.action.${props.item.action}`, props.item.action)}</strong>{' '}
        <span>{tOr(`audit.entity.${props.item.entity}`, props.item.entity)}</span>{' '}
        <code class="muted">{props.item.entityId}</code>
      </div>
      <div class="audit-meta muted">
        <time dateTime={new Date(props.item.createdAt).toISOString()}>{formatTime(lang(), props.item.createdAt)}</time>
        {' · '}{t('audit.by')}: {props.item.staffName}
        <Show when={props.item.ip}>{' · '}{t('audit.ip')}: {props.item.ip}</Show>
      </div>
      <details>
        <summary>{t('audit.details')}</summary>
        <div class="audit-diff">
          <div><h4>{t('audit.before')}</h4><pre>{json(props.item.before)}</pre></div>
          <div><h4>{t('audit.after')}</h4><pre>{json(props.item.after)}</pre></div>
        </div>
      </details>
    </li>
  );
}
