// A lead's projects: filter by stage and status, search by title; the filters live in the URL.
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { Badge, Loading, Page, Problem, useQuery } from '../lib/ui.js';
import { date, label, STAGES, STATUSES } from '../lib/format.js';
import { navigate, withQuery } from '../lib/router.js';
import { canWrite } from '../lib/viewer.js';

const PAGE_SIZE = 20;

const PROJECTS = `
  query Projects($first: Int!, $after: String, $filter: ProjectFilter) {
    projects(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id title stage status evidenceLevel daysInStage updatedAt
        leadOrganisation { id name }
        partners { id }
        themes { id name }
      }
    }
  }`;

function filterFrom(query, viewer) {
  const mine = query.get('scope') !== 'all' && viewer.role !== 'STAFF';
  const filter = {};
  if (query.get('stage')) filter.stages = [query.get('stage')];
  if (query.get('status')) filter.statuses = [query.get('status')];
  if (query.get('q')) filter.search = query.get('q');
  if (mine) filter.organisations = [viewer.organisation.id];
  return filter;
}

function Filters({ query, viewer }) {
  const [search, setSearch] = useState(query.get('q') ?? '');
  const [stage, setStage] = useState(query.get('stage') ?? '');
  const [status, setStatus] = useState(query.get('status') ?? '');
  const [scope, setScope] = useState(query.get('scope') ?? (viewer.role === 'STAFF' ? 'all' : 'mine'));
  const apply = (event) => {
    event.preventDefault();
    navigate(withQuery('/projects', { q: search.trim(), stage, status, scope: scope === 'all' ? 'all' : '' }));
  };
  return html`
    <form class="filters" role="search" aria-label="Filter projects" onSubmit=${apply}>
      <div class="field">
        <label for="filter-q">Search</label>
        <input id="filter-q" class="input" type="search" value=${search} onInput=${(e) => setSearch(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="filter-stage">Stage</label>
        <select id="filter-stage" class="input select" value=${stage} onChange=${(e) => setStage(e.currentTarget.value)}>
          <option value="">Any stage</option>
          ${STAGES.map((s) => html`<option key=${s} value=${s}>${label(s)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="filter-status">Status</label>
        <select id="filter-status" class="input select" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
          <option value="">Any status</option>
          ${STATUSES.map((s) => html`<option key=${s} value=${s}>${label(s)}</option>`)}
        </select>
      </div>
      ${viewer.role !== 'STAFF' && html`
        <div class="field">
          <label for="filter-scope">Whose projects</label>
          <select id="filter-scope" class="input select" value=${scope} onChange=${(e) => setScope(e.currentTarget.value)}>
            <option value="mine">Ours (lead or partner)</option>
            <option value="all">All I can see</option>
          </select>
        </div>`}
      <div class="filter-actions">
        <button type="submit" class="button">Show projects</button>
        ${query.toString() && html`<a href="/projects">Clear filters</a>`}
      </div>
    </form>`;
}

function ProjectCard({ project, viewer }) {
  const ours = project.leadOrganisation.id === viewer.organisation.id;
  return html`
    <li class="card">
      <h2 class="card-title"><a href=${`/projects/${project.id}`}>${project.title}</a></h2>
      <p class="badges"><${Badge} value=${project.stage} kind="stage" /> <${Badge} value=${project.status} kind="status" /></p>
      <dl class="facts">
        <div><dt>Lead organisation</dt><dd>${project.leadOrganisation.name}${!ours && project.partners.some((p) => p.id === viewer.organisation.id) ? ' (you are a partner)' : ''}</dd></div>
        <div><dt>Evidence level</dt><dd>${project.evidenceLevel} of 5</dd></div>
        <div><dt>In this stage</dt><dd>${project.daysInStage} days</dd></div>
        <div><dt>Last changed</dt><dd>${date(project.updatedAt)}</dd></div>
        ${project.themes.length > 0 && html`<div><dt>Themes</dt><dd>${project.themes.map((t) => t.name).join(', ')}</dd></div>`}
      </dl>
    </li>`;
}

export function ProjectList({ query, viewer }) {
  const filter = filterFrom(query, viewer);
  const after = query.get('after');
  const { data, error, loading, reload } = useQuery(PROJECTS, { first: PAGE_SIZE, after, filter });
  const filtered = ['q', 'stage', 'status'].some((name) => query.get(name));
  const actions = canWrite(viewer) && html`<a class="button" href="/projects/new">New project</a>`;
  return html`
    <${Page} title="Projects" heading=${viewer.role === 'STAFF' ? 'Projects' : 'Your projects'} actions=${actions}>
      <${Filters} key=${query.toString()} query=${query} viewer=${viewer} />
      ${loading && html`<${Loading} what="Loading projects" />`}
      ${error && html`<${Problem} error=${error} retry=${reload} />`}
      ${data && html`
        <p role="status" class="result-count">
          ${data.projects.totalCount === 1 ? '1 project' : `${data.projects.totalCount} projects`}${filtered ? ' match' : ''}
        </p>
        ${data.projects.totalCount === 0 && html`
          <div class="empty">
            ${filtered
              ? html`<p>No project matches these filters. <a href="/projects">Clear the filters</a>.</p>`
              : html`<p>No projects here yet.${canWrite(viewer) && html` <a href="/projects/new">Start your first project</a>: it begins at the idea stage.`}</p>`}
          </div>`}
        <ul class="cards">
          ${data.projects.nodes.map((p) => html`<${ProjectCard} key=${p.id} project=${p} viewer=${viewer} />`)}
        </ul>
        <nav class="pager" aria-label="Pages of projects">
          ${after && html`<a href=${withQuery('/projects', { ...Object.fromEntries(query), after: '' })}>First page</a>`}
          ${data.projects.pageInfo.hasNextPage && html`
            <a href=${withQuery('/projects', { ...Object.fromEntries(query), after: data.projects.pageInfo.endCursor })}>Next page</a>`}
        </nav>`}
    <//>`;
}
