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
    <${Page} title=${what === 'page' ? 'Page not found' : `${what.charAt(0).toUpperCase()}${what.slice(1)} not found`}>
      <p>There is no ${what} at this address, or you may not see it.</p>
      <p>If you typed the address, check it is right. If you pasted it, check you copied the whole address.</p>
      <p>You can go to <a href="/projects">the projects</a>, <a href="/library">the learning library</a>${' '}
        or <a href="/portfolio">the portfolio</a>.</p>
    <//>`;
}

/** "Pilot", "On hold": a stage, status or kind as a small label. */
export function Badge({ value, kind = 'plain' }) {
  return html`<span class=${`badge badge-${kind} badge-${String(value).toLowerCase()}`}>${label(value)}</span>`;
}

/**
 * A wide table that scrolls sideways on a narrow screen: then it says so above the table,
 * shades the edge that hides more, and takes the keyboard focus so arrows scroll it.
 */
export function TableWrap({ label: name, children }) {
  const ref = useRef(null);
  const [scrolls, setScrolls] = useState(false);
  const [atEnd, setAtEnd] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const measure = () => {
      setScrolls(element.scrollWidth > element.clientWidth + 1);
      setAtEnd(element.scrollLeft + element.clientWidth >= element.scrollWidth - 1);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    element.addEventListener('scroll', measure, { passive: true });
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', measure);
    };
  }, []);
  return html`
    <div class="table-scroller">
      ${scrolls && html`<p class="scroll-hint" aria-hidden="true">Scroll sideways to see the whole table →</p>`}
      <div ref=${ref} class=${`table-wrap${scrolls ? ' scrolls' : ''}${scrolls && !atEnd ? ' more-right' : ''}`}
        role="region" aria-label=${scrolls ? `${name} (scrolls sideways)` : name} tabindex="0">${children}</div>
    </div>`;
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
