// Real addresses (/projects/<id>) with the History API: links can be bookmarked and shared,
// and the server answers each of these paths with the same page.
import { useEffect, useState } from 'preact/hooks';

// /collective/<year> is drawn by the server (the digest), so the browser loads it itself.
const NOT_OURS = /^\/(graphql|static|vendor|collective)(\/|$|\.)/;
const subscribers = new Set();
let counter = 0;
let current = read(false);

function read(moved) {
  counter += 1;
  return {
    path: window.location.pathname.replace(/\/+$/, '') || '/',
    query: new URLSearchParams(window.location.search),
    href: window.location.pathname + window.location.search,
    key: counter,
    moved, // false on the first page load: focus stays where the browser put it
  };
}

function update() {
  current = read(true);
  subscribers.forEach((notify) => notify(current));
}

/** Scrolls to the element the address's #fragment names, once the page has drawn it. */
export function scrollToFragment() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (target) target.scrollIntoView();
}

/** Goes to a path of the client without reloading the page. */
export function navigate(to, { replace = false } = {}) {
  window.history[replace ? 'replaceState' : 'pushState']({}, '', to);
  update();
  if (!replace) window.scrollTo(0, 0);
}

/** The current location; re-renders its component when it changes. */
export function useLocation() {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    subscribers.add(setLocation);
    if (location.key !== current.key) setLocation(current);
    return () => subscribers.delete(setLocation);
  }, []);
  return location;
}

/** The parameters of `pattern` ("/projects/:id") in `path`, or null when it does not match. */
export function match(pattern, path) {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i += 1) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

/** A path with query parameters, leaving out empty ones. */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const one of [].concat(value ?? [])) if (one !== '' && one !== null) query.append(name, one);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

window.addEventListener('popstate', update);

// Ordinary <a href> links move within the client; new tabs, downloads and other pages do not.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest?.('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  // An SVG link's href is not a string: read the attribute.
  const url = new URL(link.getAttribute('href'), window.location.href);
  if (url.origin !== window.location.origin || NOT_OURS.test(url.pathname)) return;
  if (url.hash && url.pathname === window.location.pathname && url.search === window.location.search) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});
