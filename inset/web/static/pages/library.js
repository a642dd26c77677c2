// The learning library: every lesson the viewer may read, searchable, above all from failed trials.
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { Badge, Loading, Page, Problem, useQuery } from '../lib/ui.js';
import { BARRIERS, date, label, STAGES } from '../lib/format.js';
import { navigate, withQuery } from '../lib/router.js';
import { downloadHref } from '../lib/filters.js';

const LESSONS = `
  query Library($first: Int!, $after: String, $search: String, $filter: LessonFilter) {
    lessons(first: $first, after: $after, search: $search, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id kind title body stage barriers anonymised recordedAt projectOutcome organisationKind region
        organisation { name }
        project { id title }
      }
    }
  }`;

const OUTCOMES = [['STOPPED', 'Stopped'], ['ACTIVE', 'Still active'], ['ON_HOLD', 'On hold']];

function Filters({ query }) {
  const [values, setValues] = useState({
    q: query.get('q') ?? '', barrier: query.get('barrier') ?? '', outcome: query.get('outcome') ?? '', stage: query.get('stage') ?? '',
  });
  const set = (name) => (e) => setValues({ ...values, [name]: e.currentTarget.value });
  const apply = (event) => {
    event.preventDefault();
    navigate(withQuery('/library', { ...values, q: values.q.trim(), kind: query.getAll('kind') }));
  };
  const select = (name, text, any, options) => html`
    <div class="field">
      <label for=${`library-${name}`}>${text}</label>
      <select id=${`library-${name}`} class="input select" value=${values[name]} onChange=${set(name)}>
        <option value="">${any}</option>
        ${options.map(([v, t]) => html`<option key=${v} value=${v}>${t}</option>`)}
      </select>
    </div>`;
  return html`
    <form class="filters" role="search" aria-label="Search the lessons" onSubmit=${apply}>
      <div class="field">
        <label for="library-q">Search</label>
        <input id="library-q" class="input" type="search" value=${values.q} onInput=${set('q')} />
      </div>
      ${select('barrier', 'Barrier', 'Any barrier', BARRIERS.map((b) => [b, b]))}
      ${select('outcome', 'How the trial stands', 'Any', OUTCOMES)}
      ${select('stage', 'Stage', 'Any stage', STAGES.map((s) => [s, label(s)]))}
      <div class="filter-actions">
        <button type="submit" class="button">Search</button>
        ${query.toString() && html`<a href="/library">Clear</a>`}
      </div>
    </form>`;
}

/** Where a lesson comes from, as far as the reader may know: an anonymised one names no one. */
function Source({ lesson }) {
  if (lesson.project) {
    return html`<a href=${`/projects/${lesson.project.id}`}>${lesson.project.title}</a>, ${lesson.organisation?.name}`;
  }
  if (lesson.organisation) return `A project of ${lesson.organisation.name}`;
  const region = lesson.region ? ` in ${lesson.region}` : '';
  return `Anonymised: a ${label(lesson.organisationKind).toLowerCase()}${region}`;
}

export function Library({ query }) {
  const filter = {};
  if (query.get('barrier')) filter.barriers = [query.get('barrier')];
  if (query.get('outcome')) filter.projectOutcomes = [query.get('outcome')];
  if (query.get('stage')) filter.stages = [query.get('stage')];
  if (query.getAll('kind').length) filter.kinds = query.getAll('kind');
  const { data, error, loading, reload } = useQuery(LESSONS, {
    first: 20, after: query.get('after'), search: query.get('q') || null, filter,
  });
  return html`
    <${Page} title="Learning library" lead="What projects learned, above all from trials that did not work, so that nobody has to repeat them.">
      <${Filters} key=${query.toString()} query=${query} />
      ${loading && !data && html`<${Loading} what="Finding lessons" />`}
      ${error && html`<${Problem} error=${error} retry=${reload} />`}
      ${data && html`
        <div class="result-bar">
          <p role="status" class="result-count">${data.lessons.totalCount === 1 ? '1 lesson' : `${data.lessons.totalCount} lessons`}</p>
          ${query.get('q')
            ? html`<p class="small muted no-print">A search cannot be downloaded: clear it to download the list.</p>`
            : html`<a class="download no-print" href=${downloadHref('lessons', query)} download>Download these lessons (CSV)</a>`}
        </div>
        ${query.getAll('kind').length > 0 && html`<p class="small">Only lessons about: ${query.getAll('kind').map((k) => label(k).toLowerCase()).join(', ')}. <a href=${withQuery('/library', { q: query.get('q'), barrier: query.get('barrier'), outcome: query.get('outcome'), stage: query.get('stage') })}>Show every kind</a>.</p>`}
        <ul class="records">
          ${data.lessons.nodes.map((l) => html`
            <li key=${l.id} class="record">
              <h2 class="h4">${l.title}</h2>
              <p class="badges"><${Badge} value=${l.kind} kind="lesson" /> <span class="badge">From ${label(l.stage).toLowerCase()}</span>
                <${Badge} value=${l.projectOutcome} kind="status" /></p>
              <p class="prose">${l.body}</p>
              ${l.barriers.length > 0 && html`<p class="small">Barriers: ${l.barriers.join(', ')}</p>`}
              <p class="small muted"><${Source} lesson=${l} />; ${date(l.recordedAt)}</p>
            </li>`)}
        </ul>
        ${data.lessons.pageInfo.hasNextPage && html`
          <nav class="pager" aria-label="Pages of lessons">
            <a href=${withQuery('/library', { ...Object.fromEntries(query), after: data.lessons.pageInfo.endCursor })}>Next page</a>
          </nav>`}`}
    <//>`;
}
