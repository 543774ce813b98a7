/** /review: the queue of sessions with filters and keyset paging (newest first). */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { navigate } from '../router.tsx';
import { StaffGate, useStaffLocale } from '../staff/index.ts';
import { fetchFilters, fetchQueue, type Filters, type QueuePage } from './requests.ts';
import { dateTime, decisionLabel, flagLabel, statusLabel } from './labels.ts';
import { ReviewNav } from './ReviewNav.tsx';
import '../styles/review.css';

interface FilterValues {
  status: string;
  decision: string;
  flag: string;
  product: string;
  from: string;
  to: string;
  reference: string;
}

const EMPTY: FilterValues = { status: '', decision: '', flag: '', product: '', from: '', to: '', reference: '' };
const PAGE_SIZE = 25;

export function ReviewQueuePage() {
  return (
    <StaffGate roles={['reviewer']}>
      <ReviewQueue />
    </StaffGate>
  );
}

function queryOf(values: FilterValues, after: string | null): URLSearchParams {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (values.status) query.set('status', values.status);
  if (values.decision) query.set('decision', values.decision);
  if (values.flag) query.set('flags', values.flag);
  if (values.product) query.set('product', values.product);
  if (values.from) query.set('from', values.from);
  if (values.to) query.set('to', values.to);
  if (values.reference.trim()) query.set('reference', values.reference.trim());
  if (after) query.set('after', after);
  return query;
}

/** The queue's filters and page survive opening a session and coming back (this tab only). */
const REMEMBERED = 'attest.review.queue';

function remembered(): { applied: FilterValues; cursors: (string | null)[] } {
  try {
    const saved = JSON.parse(window.sessionStorage.getItem(REMEMBERED) ?? 'null') as { applied?: Partial<FilterValues>; cursors?: unknown } | null;
    const cursors = Array.isArray(saved?.cursors) && saved.cursors.every((c) => c === null || typeof c === 'string') ? (saved.cursors as (string | null)[]) : [null];
    const applied = { ...EMPTY };
    for (const key of Object.keys(EMPTY) as (keyof FilterValues)[]) {
      const value = saved?.applied?.[key];
      if (typeof value === 'string') applied[key] = value;
    }
    return { applied, cursors: cursors.length > 0 ? cursors : [null] };
  } catch {
    return { applied: EMPTY, cursors: [null] };
  }
}

function ReviewQueue() {
  const { t, locale } = useStaffLocale();
  const [initial] = useState(remembered);
  const [filters, setFilters] = useState<Filters | null>(null);
  const [draft, setDraft] = useState<FilterValues>(initial.applied);
  const [applied, setApplied] = useState<FilterValues>(initial.applied);
  // Cursors of the pages before the current one (keyset paging goes forward; this goes back).
  const [cursors, setCursors] = useState<(string | null)[]>(initial.cursors);
  const [page, setPage] = useState<QueuePage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const after = cursors.at(-1) ?? null;
  const query = useMemo(() => queryOf(applied, after), [applied, after]);

  useEffect(() => {
    const controller = new AbortController();
    fetchFilters(controller.signal).then(setFilters, () => undefined);
    return () => controller.abort();
  }, []);

  useEffect(() => {
    try {
      window.sessionStorage.setItem(REMEMBERED, JSON.stringify({ applied, cursors }));
    } catch {
      // not remembered
    }
  }, [applied, cursors]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    fetchQueue(query, controller.signal).then(
      (result) => {
        setPage(result);
        setError(null);
        setLoading(false);
      },
      (failure: Error & { code?: string }) => {
        if (controller.signal.aborted) return;
        if (after !== null && failure.code === 'bad_request' && /after/.test(failure.message)) {
          setCursors([null]); // a remembered cursor that no longer reads: start again
          return;
        }
        setError(failure.message);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [query, after]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
    setCursors([null]);
  };
  const clear = () => {
    setDraft(EMPTY);
    setApplied(EMPTY);
    setCursors([null]);
  };
  const field = (name: keyof FilterValues) => ({
    value: draft[name],
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }),
  });
  const first = page && page.items.length > 0 ? (cursors.length - 1) * PAGE_SIZE + 1 : 0;

  return (
    <main className="review" id="main">
      <ReviewNav current="queue" />
      <h1>{t('review.queue.title')}</h1>
      <form className="review-filters" onSubmit={apply} aria-label={t('review.filters.label')} data-testid="review-filters">
        <label>
          {t('review.filters.status')}
          <select {...field('status')} data-testid="filter-status">
            <option value="">{t('review.filters.any')}</option>
            {(filters?.statuses ?? []).map((status) => (
              <option key={status} value={status}>
                {statusLabel(t, status)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('review.filters.decision')}
          <select {...field('decision')} data-testid="filter-decision">
            <option value="">{t('review.filters.any')}</option>
            {(filters?.decisions ?? []).map((decision) => (
              <option key={decision} value={decision}>
                {decisionLabel(t, decision)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('review.filters.flag')}
          <select {...field('flag')} data-testid="filter-flag">
            <option value="">{t('review.filters.any')}</option>
            {(filters?.flags ?? []).map((flag) => (
              <option key={flag} value={flag}>
                {flagLabel(t, flag)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('review.filters.product')}
          <select {...field('product')}>
            <option value="">{t('review.filters.any')}</option>
            {(filters?.products ?? []).map((product) => (
              <option key={product} value={product}>
                {product}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('review.filters.from')}
          <input type="date" {...field('from')} />
        </label>
        <label>
          {t('review.filters.to')}
          <input type="date" {...field('to')} />
        </label>
        <label>
          {t('review.filters.reference')}
          <input type="search" {...field('reference')} placeholder="ATT-" autoComplete="off" data-testid="filter-reference" />
        </label>
        <div className="review-filters__actions">
          <button className="button button--primary" type="submit" data-testid="filter-apply">
            {t('review.filters.apply')}
          </button>
          <button className="button" type="button" onClick={clear}>
            {t('review.filters.clear')}
          </button>
        </div>
      </form>

      <p className="review-queue__summary" role="status" aria-live="polite" data-testid="queue-summary">
        {loading
          ? t('review.loading')
          : error
            ? t('review.error', { message: error })
            : page && page.total > 0
              ? t('review.queue.showing', { first, last: first + page.items.length - 1, total: page.total })
              : t('review.queue.empty')}
      </p>

      {page && page.items.length > 0 && (
        <table className="review-table" data-testid="queue-table">
          <caption className="visually-hidden">{t('review.queue.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('review.queue.reference')}</th>
              <th scope="col">{t('review.queue.status')}</th>
              <th scope="col">{t('review.queue.flags')}</th>
              <th scope="col">{t('review.queue.decision')}</th>
              <th scope="col">{t('review.queue.created')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((item) => (
              <tr key={item.id} data-testid="queue-row" data-session-id={item.id}>
                <td data-label={t('review.queue.reference')}>
                  <a
                    href={`/review/${encodeURIComponent(item.id)}`}
                    onClick={(event) => {
                      if (event.metaKey || event.ctrlKey || event.shiftKey) return;
                      event.preventDefault();
                      navigate(`/review/${encodeURIComponent(item.id)}`);
                    }}
                  >
                    {item.reference}
                  </a>
                  <span className="review-muted"> · {item.scriptId}</span>
                </td>
                <td data-label={t('review.queue.status')}>
                  <span className={`review-status review-status--${item.status}`}>{statusLabel(t, item.status)}</span>
                </td>
                <td data-label={t('review.queue.flags')}>
                  {item.flags.length === 0 ? (
                    <span className="review-muted">–</span>
                  ) : (
                    <ul className="review-flags">
                      {item.flags.map((flag) => (
                        <li key={flag} className="review-flag">
                          {flagLabel(t, flag)}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td data-label={t('review.queue.decision')}>{item.decision ? decisionLabel(t, item.decision) : <span className="review-muted">{t('review.decision.none')}</span>}</td>
                <td data-label={t('review.queue.created')}>{dateTime(item.createdAt, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <nav className="review-paging" aria-label={t('review.queue.paging')}>
        <button className="button" type="button" disabled={cursors.length <= 1 || loading} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('review.queue.previous')}
        </button>
        <button
          className="button"
          type="button"
          disabled={!page?.next || loading}
          onClick={() => page?.next && setCursors([...cursors, page.next])}
          data-testid="queue-next"
        >
          {t('review.queue.next')}
        </button>
      </nav>
    </main>
  );
}
