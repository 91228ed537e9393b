import { A } from '@solidjs/router';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { FormAlert } from '~/components/Field';
import { canManageOrders, OrdersAdminPage } from '~/components/OrdersAdmin';
import { apiUpload } from '~/lib/api';
import { MAX_SHIP_CSV_BYTES, readCsvFile, SHIP_TEMPLATE_HEADER, shipTemplateHref } from '~/lib/admin-orders';
import { toApiError } from '~/lib/client-data';
import { useI18n } from '~/lib/i18n-context';
import type { ShipBatchReport, ShipRowOutcome } from '~/lib/types';

/** The API reads at most this many CSV records (the header included). */
const MAX_ROWS = 5000;

/** C6 批量发货: a CSV of order number, carrier, tracking number → every row's outcome. */
export default function AdminShipBatch() {
  const { t } = useI18n();
  return (
    <OrdersAdminPage title={t('shipBatch.title')}>
      {(me) => (
        <Show when={canManageOrders(me().staff)} fallback={<p class="alert" data-testid="forbidden">{t('admin.noPermissions')}</p>}>
          <ShipBatch />
        </Show>
      )}
    </OrdersAdminPage>
  );
}

function ShipBatch() {
  const { t } = useI18n();
  const [text, setText] = createSignal('');
  const [fileNote, setFileNote] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [report, setReport] = createSignal<ShipBatchReport>();
  const [onlyFailed, setOnlyFailed] = createSignal(false);
  let fileInput: HTMLInputElement | undefined;

  /** A chosen file fills the text area: what is sent is always what the merchant can see and fix. */
  async function pick(file: File | undefined) {
    setError(undefined);
    setFileNote(undefined);
    if (!file) return;
    if (file.size > MAX_SHIP_CSV_BYTES * 2) {
      setError(t('shipBatch.tooLarge'));
      return;
    }
    try {
      const content = await readCsvFile(file);
      setText(content);
      setFileNote(t('shipBatch.fileLoaded', { name: file.name, n: dataRows(content) }));
    } catch {
      setError(t('shipBatch.fileUnreadable'));
    }
  }

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    const csv = text();
    setError(undefined);
    if (dataRows(csv) === 0) {
      setError(t('shipBatch.empty'));
      return;
    }
    const body = new Blob([csv], { type: 'text/csv' });
    if (body.size > MAX_SHIP_CSV_BYTES) {
      setError(t('shipBatch.tooLarge'));
      return;
    }
    if (nonEmptyLines(csv) > MAX_ROWS) {
      setError(t('shipBatch.tooManyRows', { n: MAX_ROWS }));
      return;
    }
    setBusy(true);
    setReport(undefined);
    try {
      // The raw CSV text as the body (not multipart): the API reads it as text/csv.
      const result = await apiUpload<ShipBatchReport>('/api/admin/orders/ship-batch', body, 'text/csv; charset=utf-8');
      setReport(result);
      setOnlyFailed(result.failed > 0 && result.rows.length > 20);
    } catch (err) {
      const apiError = toApiError(err);
      // The API names a CSV it cannot read only as VALIDATION_FAILED with English details.
      setError(apiError.code === 'VALIDATION_FAILED' ? t('shipBatch.notCsv', { n: MAX_ROWS }) : apiError.message);
    } finally {
      setBusy(false);
    }
  }

  function clear() {
    setText('');
    setFileNote(undefined);
    setError(undefined);
    setReport(undefined);
    if (fileInput) fileInput.value = '';
  }

  return (
    <>
      <div class="page-head">
        <h1>{t('shipBatch.title')}</h1>
        <a class="button compact" href={shipTemplateHref()} download="ship-template.csv" data-testid="ship-csv-template">
          {t('shipBatch.template')}
        </a>
      </div>
      <p class="muted small">{t('shipBatch.intro')}</p>
      <form class="card form" noValidate onSubmit={(e) => void submit(e)} data-testid="ship-csv-form">
        <div class="field">
          <label for="ship-csv-file">{t('shipBatch.file')}</label>
          <input id="ship-csv-file" ref={fileInput} class="input" type="file" accept=".csv,.txt,text/csv,text/plain"
            data-testid="ship-csv-file" onChange={(e) => void pick(e.currentTarget.files?.[0])} />
          <Show when={fileNote()} fallback={<p class="hint">{t('shipBatch.fileHint')}</p>}>
            {(note) => <p class="hint" data-testid="ship-csv-file-note">{note()}</p>}
          </Show>
        </div>
        <div class="field">
          <label for="ship-csv-text">{t('shipBatch.text')}</label>
          <textarea id="ship-csv-text" class="input csv-text" rows={8} spellcheck={false} autocomplete="off"
            placeholder={`${SHIP_TEMPLATE_HEADER}\n${t('shipBatch.example')}`}
            data-testid="ship-csv-text" value={text()} onInput={(e) => setText(e.currentTarget.value)} />
          <p class="hint">{t('shipBatch.columns')}</p>
        </div>
        <FormAlert message={error()} />
        <div class="actions">
          <button type="submit" class="button primary" data-testid="ship-csv-submit" disabled={busy()}>
            {busy() ? t('shipBatch.submitting') : t('shipBatch.submit')}
          </button>
          <button type="button" class="button" data-testid="ship-csv-clear" disabled={busy()} onClick={clear}>{t('shipBatch.clear')}</button>
        </div>
      </form>
      <Show when={report()}>{(r) => <ShipReport report={r()} onlyFailed={onlyFailed()} setOnlyFailed={setOnlyFailed} />}</Show>
    </>
  );
}

function ShipReport(props: { report: ShipBatchReport; onlyFailed: boolean; setOnlyFailed: (v: boolean) => void }) {
  const { t, tOr } = useI18n();
  const rows = createMemo(() => (props.onlyFailed ? props.report.rows.filter((r) => r.outcome === 'error') : props.report.rows));
  const message = (row: ShipRowOutcome) =>
    row.outcome === 'shipped' ? t('shipBatch.ok') : tOr(`shipBatch.code.${row.code}`, row.code);
  return (
    <section class="card" data-testid="ship-report">
      <div class="card-head">
        <h2>{t('shipBatch.report')}</h2>
        <A href="/admin/orders?status=shipped" class="small">{t('shipBatch.seeShipped')}</A>
      </div>
      <p class="ship-counts">
        <span class="count-ok" data-testid="ship-report-shipped">{t('shipBatch.shipped', { n: props.report.shipped })}</span>
        <span class="count-failed" classList={{ none: props.report.failed === 0 }} data-testid="ship-report-failed">
          {t('shipBatch.failed', { n: props.report.failed })}
        </span>
      </p>
      <Show when={props.report.rows.length === 0}><p class="muted">{t('shipBatch.noRows')}</p></Show>
      <Show when={props.report.failed > 0 && props.report.shipped > 0}>
        <label class="check">
          <input type="checkbox" checked={props.onlyFailed} data-testid="ship-report-only-failed"
            onChange={(e) => props.setOnlyFailed(e.currentTarget.checked)} />
          {t('shipBatch.onlyFailed')}
        </label>
      </Show>
      <Show when={rows().length > 0}>
        <div class="table-scroll">
          <table class="report-table">
            <thead>
              <tr><th>{t('shipBatch.line')}</th><th>{t('shipBatch.orderNo')}</th><th>{t('shipBatch.outcome')}</th></tr>
            </thead>
            <tbody>
              <For each={rows()}>
                {(row) => (
                  <tr data-testid="ship-report-row" data-line={row.line} data-outcome={row.outcome}
                    data-code={row.outcome === 'error' ? row.code : undefined} classList={{ failed: row.outcome === 'error' }}>
                    <td>{row.line}</td>
                    <td class="mono">{row.orderNo || '—'}</td>
                    <td>{message(row)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}

const nonEmptyLines = (csv: string): number => csv.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '').length;

/** Non-empty lines, less a header line (one whose first cell is not an order number, as the API decides). */
function dataRows(csv: string): number {
  const lines = csv.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');
  const first = lines[0]?.split(',')[0]?.trim().replace(/^"|"$/g, '') ?? '';
  return lines.length - (lines.length > 0 && !/^\d{10,32}$/.test(first) ? 1 : 0);
}
