// Inset's web client: the frame (header, navigation, sign-out) and which page each address shows.
import { useEffect, useState } from 'preact/hooks';
import { html, render } from './lib/html.js';
import { mutate, onSignedOut, request } from './lib/graphql.js';
import { forgetDrafts } from './lib/forms.js';
import { match, navigate, useLocation } from './lib/router.js';
import { flash, Loading, NotFound, Problem, takeFlash } from './lib/ui.js';
import { VIEWER } from './lib/viewer.js';
import { label } from './lib/format.js';
import { SignIn } from './pages/sign-in.js';
import { ProjectList } from './pages/projects.js';
import { ProjectPage } from './pages/project.js';
import { EditProject, NewProject } from './pages/project-form.js';
import { RecordBenefit, RecordCost, RecordEvidence, RecordLesson } from './pages/records.js';
import { DefineOutcome, ObserveOutcome } from './pages/outcomes.js';
import { DecideGate } from './pages/decision.js';
import { Portfolio } from './pages/portfolio.js';
import { Library } from './pages/library.js';
import { LessonPage } from './pages/lesson.js';

// [pattern, page, who may see it]; the first match wins, so /projects/new precedes /projects/:id.
const ROUTES = [
  ['/sign-in', SignIn, 'anyone'],
  ['/library', Library, 'anyone'],
  ['/lessons/:id', LessonPage, 'anyone'],
  ['/projects', ProjectList],
  ['/projects/new', NewProject],
  // A public project is open to anyone; the page itself says when one is not shared.
  ['/projects/:id', ProjectPage, 'anyone'],
  ['/projects/:id/edit', EditProject],
  ['/projects/:id/evidence/new', RecordEvidence],
  ['/projects/:id/outcomes/new', DefineOutcome],
  ['/projects/:id/outcomes/:outcomeId/observations/new', ObserveOutcome],
  ['/projects/:id/costs/new', RecordCost],
  ['/projects/:id/benefits/new', RecordBenefit],
  ['/projects/:id/lessons/new', RecordLesson],
  ['/projects/:id/decision', DecideGate],
  ['/portfolio', Portfolio],
];

const SIGN_OUT = 'mutation SignOut { signOut { signedOut userErrors { message } } }';

function home(viewer) {
  return viewer?.role === 'STAFF' ? '/portfolio' : '/projects';
}

function Header({ viewer, path, onSignOut }) {
  const item = (href, text) => html`
    <li><a href=${href} aria-current=${path === href || path.startsWith(`${href}/`) ? 'page' : undefined}>${text}</a></li>`;
  return html`
    <header class="site-header">
      <div class="header-inner">
        <a class="brand" href=${viewer ? home(viewer) : '/library'}>Inset<span class="visually-hidden">, home</span></a>
        <nav aria-label="Main">
          <ul>
            ${viewer && item('/projects', 'Projects')}
            ${item('/library', 'Learning library')}
            ${viewer && item('/portfolio', 'Portfolio')}
          </ul>
        </nav>
        <div class="account">
          ${viewer
            ? html`<span class="who">${viewer.name}<span class="org">${viewer.organisation.name} · ${label(viewer.role)}</span></span>
                <button type="button" class="button header-button" onClick=${onSignOut}>Sign out</button>`
            : path !== '/sign-in' && html`<a class="button header-button" href="/sign-in">Sign in</a>`}
        </div>
      </div>
    </header>`;
}

/** Browsers scroll to #main but do not all move the focus there; this does both. */
function skipToMain(event) {
  event.preventDefault();
  document.getElementById('main').focus();
}

function Flash({ message, onClose }) {
  if (!message) return null;
  return html`
    <div class="flash" role="status">
      <p>${message}</p>
      <button type="button" class="link-button" onClick=${onClose}>Dismiss<span class="visually-hidden"> this message</span></button>
    </div>`;
}

function App() {
  const location = useLocation();
  const [viewer, setViewer] = useState(undefined); // undefined: not known yet
  const [problem, setProblem] = useState(null);
  const [message, setMessage] = useState(null);

  const loadViewer = () => {
    setProblem(null);
    request(VIEWER).then((data) => setViewer(data.viewer)).catch((error) => setProblem(error));
  };
  useEffect(loadViewer, []);
  // A session that ends (expiry, sign-out elsewhere) sends the person to sign in and back;
  // what they typed stays in the tab's drafts.
  useEffect(() => onSignedOut(() => {
    setViewer(null);
    flash('You were signed out. Sign in again: what you typed is kept.');
    navigate(`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`, { replace: true });
  }), []);
  useEffect(() => {
    setMessage(takeFlash());
  }, [location.key]);

  const found = ROUTES.map(([pattern, page, who]) => [match(pattern, location.path), page, who]).find(([params]) => params);
  const needsSignIn = viewer === null && found && found[2] !== 'anyone';
  useEffect(() => {
    if (viewer === undefined) return;
    if (location.path === '/') navigate(viewer ? home(viewer) : '/sign-in', { replace: true });
    else if (needsSignIn) navigate(`/sign-in?next=${encodeURIComponent(location.href)}`, { replace: true });
  }, [viewer, location.key]);

  async function signOut() {
    try {
      await mutate(SIGN_OUT, {}, 'signOut');
    } finally {
      forgetDrafts();
      setViewer(null);
      flash('You are signed out.');
      navigate('/sign-in');
    }
  }

  let page;
  if (problem) page = html`<div class="page"><${Problem} error=${problem} retry=${loadViewer} /></div>`;
  else if (viewer === undefined || location.path === '/' || needsSignIn) page = html`<div class="page"><${Loading} /></div>`;
  else if (!found) page = html`<${NotFound} />`;
  else {
    const [params, Component] = found;
    page = html`<${Component} key=${location.path} params=${params} query=${location.query} viewer=${viewer}
      onSignedIn=${setViewer} />`;
  }
  return html`
    <a class="skip-link" href="#main" onClick=${skipToMain}>Skip to main content</a>
    <${Header} viewer=${viewer} path=${location.path} onSignOut=${signOut} />
    <main id="main" tabindex="-1">
      <${Flash} message=${message} onClose=${() => setMessage(null)} />
      ${page}
    </main>
    <footer class="site-footer">
      <p>Inset: innovation in children's services, from idea to scale.${' '}
        For developers: everything this site shows comes from the <a href="/graphql">GraphQL API</a> (GraphiQL in a browser).</p>
    </footer>`;
}

render(html`<${App} />`, document.getElementById('app'));
