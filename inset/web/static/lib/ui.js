// Pieces every page uses: the page frame, loading and error states, badges, data fetching.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { request } from './graphql.js';
import { label } from './format.js';
import { useLocation } from './router.js';

/**
 * A page: sets the window title and, after a move within the client, puts the focus on
 * the heading so that screen readers announce the new page.
 */
export function Page({ title, heading, lead, actions, back, children, wide }) {
  const location = useLocation();
  const headingRef = useRef(null);
  useEffect(() => {
    document.title = title ? `${title} – Inset` : 'Inset';
  }, [title]);
  useEffect(() => {
    if (location.moved && headingRef.current) headingRef.current.focus({ preventScroll: true });
  }, [location.key]);
  return html`
    <div class=${wide ? 'page page-wide' : 'page'}>
      ${back && html`<p class="back"><a href=${back.href}>← ${back.text}</a></p>`}
      <div class="page-head">
        <h1 tabindex="-1" ref=${headingRef}>${heading ?? title}</h1>
        ${actions && html`<div class="page-actions">${actions}</div>`}
      </div>
      ${lead && html`<p class="lead">${lead}</p>`}
      ${children}
    </div>`;
}

export function Loading({ what = 'Loading' }) {
  return html`<p class="loading" role="status">${what}…</p>`;
}

/** An error the page could not get past, with a way to try again. */
export function Problem({ error, retry }) {
  return html`
    <div class="notice notice-error" role="alert">
      <h2>Something went wrong</h2>
      <p>${error?.message ?? String(error)}</p>
      ${error?.requestId && html`<p class="small">Reference for support: <code>${error.requestId}</code></p>`}
      ${retry && html`<button type="button" class="button secondary" onClick=${retry}>Try again</button>`}
    </div>`;
}

export function NotFound({ what = 'page' }) {
  return html`
    <${Page} title="Not found">
      <p>There is no ${what} here, or you may not see it. Check the address, or go to${' '}
        <a href="/projects">your projects</a>.</p>
    <//>`;
}

/** "Pilot", "On hold": a stage, status or kind as a small label. */
export function Badge({ value, kind = 'plain' }) {
  return html`<span class=${`badge badge-${kind} badge-${String(value).toLowerCase()}`}>${label(value)}</span>`;
}

/** A wide table that scrolls sideways on a phone, reachable by keyboard to scroll it. */
export function TableWrap({ label: name, children }) {
  return html`<div class="table-wrap" role="region" aria-label=${name} tabindex="0">${children}</div>`;
}

/** Text only screen readers get. */
export function Hidden({ children }) {
  return html`<span class="visually-hidden">${children}</span>`;
}

/**
 * Runs a query when the component mounts and whenever `key` changes.
 * Returns { data, error, loading, reload }; reload() runs it again and resolves to the data.
 */
export function useQuery(query, variables, key = JSON.stringify(variables ?? {})) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const run = useCallback(async () => {
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const data = await request(query, variables);
      setState({ data, error: null, loading: false });
      return data;
    } catch (error) {
      setState({ data: null, error, loading: false });
      return null;
    }
  }, [query, key]);
  useEffect(() => {
    run();
  }, [run]);
  return { ...state, reload: run };
}

let pendingFlash = null;

/** A message for the next page ("Evidence recorded."), shown once, politely announced. */
export function flash(message) {
  pendingFlash = message;
}

export function takeFlash() {
  const message = pendingFlash;
  pendingFlash = null;
  return message;
}
