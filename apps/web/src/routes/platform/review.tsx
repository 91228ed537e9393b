import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { Capabilities, ConsolePage, VersionBadge } from '~/components/PlatformConsole';
import { localized } from '~/lib/admin-plugins';
import { createClientData, failedError, readyValue } from '~/lib/client-data';
import { createAction } from '~/lib/form';
import { formatTime } from '~/lib/format';
import { useI18n } from '~/lib/i18n-context';
import { consoleApi, type ConsoleVersion, type QueueItem } from '~/lib/platform-console';

/** G3: the reviewers' queue — submitted versions to approve or reject with a reason, then publish. */
export default function ConsoleReview() {
  const { t } = useI18n();
  return (
    <ConsolePage title={t('console.review.title')}>
      {() => <Queue />}
    </ConsolePage>
  );
}

function Queue() {
  const { t } = useI18n();
  const [data, { reload }] = createClientData(() => consoleApi.queue());
  // Versions approved here: they leave the queue, and stay on this page to be published.
  const [approved, setApproved] = createSignal<QueueItem[]>([]);
  return (
    <>
      <h1>{t('console.review.title')}</h1>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={failedError(data())?.code === 'FORBIDDEN'}><p class="alert" data-testid="console-review-forbidden">{t('console.review.forbidden')}</p></Match>
        <Match when={failedError(data())}>{(e) => <p class="alert">{e().message}</p>}</Match>
        <Match when={readyValue(data())}>
          {(list) => (
            <>
              <Show when={approved().length > 0}>
                <ul class="plain-list" data-testid="console-approved">
                  <For each={approved()}>
                    {(item) => <ReviewRow item={item} onMoved={(v) => setApproved((l) => l.map((x) => (x === item ? { ...x, version: v } : x)))} />}
                  </For>
                </ul>
              </Show>
              <Show when={list().length > 0} fallback={<p class="muted" data-testid="console-queue-empty">{t('console.review.empty')}</p>}>
                <ul class="plain-list" data-testid="console-queue">
                  <For each={list()}>
                    {(item) => (
                      <ReviewRow item={item} onMoved={(v) => {
                        if (v.status === 'approved') setApproved((l) => [...l, { ...item, version: v }]);
                        void reload();
                      }} />
                    )}
                  </For>
                </ul>
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </>
  );
}

function ReviewRow(props: { item: QueueItem; onMoved: (v: ConsoleVersion) => void }) {
  const { t, lang } = useI18n();
  const action = createAction();
  const [note, setNote] = createSignal('');
  const [noteError, setNoteError] = createSignal<string>();
  const v = () => props.item.version;
  const p = () => props.item.plugin;
  const run = (work: () => Promise<{ version: ConsoleVersion }>) => void action.run(async () => { props.onMoved((await work()).version); });
  return (
    <li class="card" data-testid="console-review-item" data-id={p().id} data-version={v().version} data-status={v().status}>
      <div class="card-head">
        <strong>{localized(lang(), p().name)} <span class="muted small">{p().id}</span></strong>
        <VersionBadge status={v().status} />
      </div>
      <p class="small">v{v().version} · {t('console.review.author', { email: props.item.author })}
        <Show when={v().submittedAt}>{(at) => <> · {t('console.review.submitted', { time: formatTime(lang(), at()) })}</>}</Show>
      </p>
      <p class="small">{localized(lang(), p().summary)}</p>
      <h3>{t('console.capabilities')}</h3>
      <Capabilities list={v().capabilities} />
      <p class="small muted">{t('console.version.bundle', { size: v().bundle.size })} · <code>{v().bundle.sha256.slice(0, 12)}</code></p>
      <Show when={action.error()}>{(m) => <p class="alert small" role="alert" data-testid="console-review-error">{m()}</p>}</Show>
      <Switch>
        <Match when={v().status === 'submitted'}>
          <div class="field" classList={{ invalid: !!noteError() }}>
            <label for={`note-${p().id}-${v().version}`}>{t('console.review.note')}</label>
            <input id={`note-${p().id}-${v().version}`} class="input" value={note()} maxLength={2000} data-testid="console-review-note" onInput={(e) => { setNote(e.currentTarget.value); setNoteError(undefined); }} />
            <Show when={noteError()}>{(m) => <p class="error" role="alert" data-testid="console-review-note-error">{m()}</p>}</Show>
          </div>
          <div class="actions">
            <button type="button" class="button primary compact" disabled={action.busy()} data-testid="console-review-approve"
              onClick={() => run(() => consoleApi.approve(p().id, v().version, note().trim() || null))}>{t('console.review.approve')}</button>
            <button type="button" class="button danger compact" disabled={action.busy()} data-testid="console-review-reject"
              onClick={() => (note().trim() ? run(() => consoleApi.reject(p().id, v().version, note().trim())) : setNoteError(t('console.review.reasonRequired')))}>{t('console.review.reject')}</button>
          </div>
        </Match>
        <Match when={v().status === 'approved'}>
          <div class="actions">
            <button type="button" class="button primary compact" disabled={action.busy()} data-testid="console-review-publish"
              onClick={() => run(() => consoleApi.publish(p().id, v().version))}>{t('console.review.publish')}</button>
          </div>
        </Match>
      </Switch>
    </li>
  );
}
