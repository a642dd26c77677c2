// The learning library: every lesson the viewer may read, searchable, above all from failed trials.
// The filters, the search and the page live in the address, so results can be bookmarked,
// shared, reloaded and moved through with back and forward.
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { Badge, Loading, Page, Problem, useQuery } from '../lib/ui.js';
import { BARRIERS, date, label, STAGES } from '../lib/format.js';
import { people, Source } from '../lib/lessons.js';
import { navigate, withQuery } from '../lib/router.js';

const PAGE_SIZE = 20;

const LESSONS = `
  query Library($first: Int!, $after: String, $search: String, $filter: LessonFilter) {
    themes { id name }
    lessons(first: $first, after: $after, search: $search, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id kind title body stage barriers anonymised recordedAt projectOutcome organisationKind region
        usefulCount
        organisation { name }
        project { id title }
      }
    }
  }`;

const OUTCOMES = [['STOPPED', 'Stopped'], ['ACTIVE', 'Still active'], ['ON_HOLD', 'On hold']];
const KINDS = ['WHAT_WORKED', 'WHAT_DID_NOT_WORK', 'BARRIER', 'ENABLER', 'RECOMMENDATION'];
const ORGANISATION_KINDS = [
  'LOCAL_AUTHORITY', 'REGIONAL_ADOPTION_AGENCY', 'VOLUNTARY_ADOPTION_AGENCY', 'INDEPENDENT_FOSTERING_AGENCY',
  'CHARITY', 'PRIVATE_PARTNER', 'HEALTH', 'POLICE', 'EDUCATION', 'OTHER',
];
// Address parameter -> the LessonFilter list it fills.
const FILTERS = {
  theme: 'themes', barrier: 'barriers', stage: 'stages', kind: 'kinds',
  orgKind: 'organisationKinds', region: 'regions', outcome: 'projectOutcomes',
};
const FIELDS = ['q', ...Object.keys(FILTERS)];

function Filters({ query, themes }) {
  const [values, setValues] = useState(Object.fromEntries(FIELDS.map((name) => [name, query.get(name) ?? ''])));
  const set = (name) => (e) => setValues({ ...values, [name]: e.currentTarget.value });
  const apply = (event) => {
    event.preventDefault();
    // A new search starts from the first page.
    navigate(withQuery('/library', { ...values, q: values.q.trim(), region: values.region.trim() }));
  };
  const select = (name, text, any, options) => html`
    <div class="field">
      <label for=${`library-${name}`}>${text}</label>
      <select id=${`library-${name}`} class="input select" value=${values[name]} onChange=${set(name)}>
        <option value="">${any}</option>
        ${options.map(([v, t]) => html`<option key=${v} value=${v}>${t}</option>`)}
      </select>
    </div>`;
  const words = (list) => list.map((v) => [v, label(v)]);
  return html`
    <form class="filters" role="search" aria-label="Search the lessons" onSubmit=${apply}>
      <div class="field">
        <label for="library-q">Search</label>
        <input id="library-q" class="input" type="search" value=${values.q} onInput=${set('q')} />
      </div>
      ${select('theme', 'Theme', 'Any theme', themes.map((t) => [t.id, t.name]))}
      ${select('barrier', 'Barrier', 'Any barrier', BARRIERS.map((b) => [b, b]))}
      ${select('stage', 'Stage', 'Any stage', words(STAGES))}
      ${select('kind', 'Kind of lesson', 'Any kind', words(KINDS))}
      ${select('orgKind', 'Kind of organisation', 'Any organisation', words(ORGANISATION_KINDS))}
      <div class="field">
        <label for="library-region">Region</label>
        <input id="library-region" class="input" type="text" value=${values.region} onInput=${set('region')}
          aria-describedby="library-region-hint" />
        <p id="library-region-hint" class="hint small">As recorded, e.g. North West</p>
      </div>
      ${select('outcome', 'How the trial stands', 'Any', OUTCOMES)}
      <div class="filter-actions">
        <button type="submit" class="button">Search</button>
        ${query.toString() && html`<a href="/library">Clear</a>`}
      </div>
    </form>`;
}

/** The API's variables for the address: its search, filters and page. */
function variables(query) {
  const filter = {};
  for (const [name, list] of Object.entries(FILTERS)) {
    if (query.get(name)) filter[list] = [query.get(name)];
  }
  return { first: PAGE_SIZE, after: query.get('after'), search: query.get('q') || null, filter };
}

/** Forward by cursor (each page its own address, so back returns to the one before). */
function Pager({ query, pageInfo }) {
  const kept = Object.fromEntries(FIELDS.map((name) => [name, query.get(name)]));
  const paged = Boolean(query.get('after'));
  if (!pageInfo.hasNextPage && !paged) return null;
  return html`
    <nav class="pager" aria-label="Pages of lessons">
      ${paged && html`<a href=${withQuery('/library', kept)}>First page</a>`}
      ${pageInfo.hasNextPage && html`<a href=${withQuery('/library', { ...kept, after: pageInfo.endCursor })}>Next page</a>`}
    </nav>`;
}

export function Library({ query }) {
  const { data, error, loading, reload } = useQuery(LESSONS, variables(query));
  return html`
    <${Page} title="Learning library" lead="What projects learned, above all from trials that did not work, so that nobody has to repeat them.">
      <${Filters} key=${query.toString() + (data ? 'ready' : '')} query=${query} themes=${data?.themes ?? []} />
      ${loading && !data && html`<${Loading} what="Finding lessons" />`}
      ${error && html`<${Problem} error=${error} retry=${reload} />`}
      ${data && html`
        <p role="status" class="result-count">${data.lessons.totalCount === 1 ? '1 lesson' : `${data.lessons.totalCount} lessons`}</p>
        <ul class="records">
          ${data.lessons.nodes.map((l) => html`
            <li key=${l.id} class="record">
              <h2 class="h4"><a href=${`/lessons/${l.id}`}>${l.title}</a></h2>
              <p class="badges"><${Badge} value=${l.kind} kind="lesson" /> <span class="badge">From ${label(l.stage).toLowerCase()}</span>
                <${Badge} value=${l.projectOutcome} kind="status" /></p>
              <p class="prose">${l.body}</p>
              ${l.barriers.length > 0 && html`<p class="small">Barriers: ${l.barriers.join(', ')}</p>`}
              <p class="small muted"><${Source} lesson=${l} />; ${date(l.recordedAt)}${l.usefulCount > 0 ? `; useful to ${people(l.usefulCount)}` : ''}</p>
            </li>`)}
        </ul>
        <${Pager} query=${query} pageInfo=${data.lessons.pageInfo} />`}
    <//>`;
}
