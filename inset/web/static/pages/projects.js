// The projects: filter by stage, status, theme, kind of organisation, region, evidence level
// and period, search by title; the filters live in the address, and the list downloads as CSV.
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { Badge, Loading, Page, Problem, useQuery } from '../lib/ui.js';
import { date, label, ORGANISATION_KINDS, STAGES, STATUSES } from '../lib/format.js';
import { navigate, withQuery } from '../lib/router.js';
import { canWrite } from '../lib/viewer.js';
import { describe, downloadHref, FIGURE_PARAMS, LIST_PARAMS, NONE, pick, projectFilter } from '../lib/filters.js';

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

const CHOICES = `query Choices { themes { id name } portfolio { byRegion { key label } } }`;

function Select({ id, text, any, value, onChange, options }) {
  return html`
    <div class="field">
      <label for=${id}>${text}</label>
      <select id=${id} class="input select" value=${value} onChange=${(e) => onChange(e.currentTarget.value)}>
        <option value="">${any}</option>
        ${options.map(([v, t]) => html`<option key=${v} value=${v}>${t}</option>`)}
      </select>
    </div>`;
}

function Filters({ query, viewer, choices }) {
  const initial = {
    q: query.get('q') ?? '', stage: query.get('stage') ?? '', status: query.get('status') ?? '',
    theme: query.get('theme') ?? '', kind: query.get('kind') ?? '', region: query.get('region') ?? '',
    min_level: query.get('min_level') ?? '', from: query.get('from') ?? '', to: query.get('to') ?? '',
    scope: query.get('scope') ?? (viewer.role === 'STAFF' ? 'all' : 'mine'),
  };
  const [values, setValues] = useState(initial);
  const set = (name) => (value) => setValues({ ...values, [name]: value });
  const apply = (event) => {
    event.preventDefault();
    // A figure's own narrowing (from the portfolio) stays until the filters are cleared.
    navigate(withQuery('/projects', {
      ...pick(query, FIGURE_PARAMS), ...values, q: values.q.trim(), scope: values.scope === 'all' ? 'all' : '',
    }));
  };
  const themes = (choices?.themes ?? []).map((t) => [t.id, t.name]);
  const regions = (choices?.portfolio.byRegion ?? []).map((r) => [r.key || NONE, r.label]);
  return html`
    <form class="filters" role="search" aria-label="Filter projects" onSubmit=${apply}>
      <div class="field">
        <label for="filter-q">Search</label>
        <input id="filter-q" class="input" type="search" value=${values.q} onInput=${(e) => set('q')(e.currentTarget.value)} />
      </div>
      <${Select} id="filter-stage" text="Stage" any="Any stage" value=${values.stage} onChange=${set('stage')} options=${STAGES.map((s) => [s, label(s)])} />
      <${Select} id="filter-status" text="Status" any="Any status" value=${values.status} onChange=${set('status')} options=${STATUSES.map((s) => [s, label(s)])} />
      <${Select} id="filter-theme" text="Theme" any="Any theme" value=${values.theme} onChange=${set('theme')} options=${[...themes, [NONE, 'No theme']]} />
      <${Select} id="filter-kind" text="Kind of lead organisation" any="Any kind" value=${values.kind} onChange=${set('kind')} options=${ORGANISATION_KINDS.map((k) => [k, label(k)])} />
      <${Select} id="filter-region" text="Region" any="Any region" value=${values.region} onChange=${set('region')} options=${regions} />
      <${Select} id="filter-level" text="Evidence level" any="Any level" value=${values.min_level} onChange=${set('min_level')}
        options=${[1, 2, 3, 4, 5].map((n) => [String(n), `${n} or higher`])} />
      <div class="field">
        <label for="filter-from">Under way from</label>
        <input id="filter-from" class="input" type="date" value=${values.from} onInput=${(e) => set('from')(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="filter-to">to</label>
        <input id="filter-to" class="input" type="date" value=${values.to} onInput=${(e) => set('to')(e.currentTarget.value)} />
      </div>
      ${viewer.role !== 'STAFF' && html`
        <${Select} id="filter-scope" text="Whose projects" any="Ours (lead or partner)" value=${values.scope === 'mine' ? '' : values.scope}
          onChange=${(v) => set('scope')(v || 'mine')} options=${[['all', 'All I can see']]} />`}
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
  const filter = projectFilter(query, viewer);
  const after = query.get('after');
  const { data, error, loading, reload } = useQuery(PROJECTS, { first: PAGE_SIZE, after, filter });
  const choices = useQuery(CHOICES, {}).data;
  const filtered = LIST_PARAMS.some((name) => query.has(name));
  const narrowed = describe(query, choices?.themes);
  const actions = canWrite(viewer) && html`<a class="button" href="/projects/new">New project</a>`;
  return html`
    <${Page} title="Projects" heading=${viewer.role === 'STAFF' ? 'Projects' : 'Your projects'} actions=${actions}>
      <${Filters} key=${query.toString() + Boolean(choices)} query=${query} viewer=${viewer} choices=${choices} />
      ${narrowed.length > 0 && html`
        <div class="notice notice-info narrowed">
          <p>Showing the projects behind a figure: ${narrowed.join('; ')}.</p>
        </div>`}
      ${loading && html`<${Loading} what="Loading projects" />`}
      ${error && html`<${Problem} error=${error} retry=${reload} />`}
      ${data && html`
        <div class="result-bar">
          <p role="status" class="result-count">
            ${data.projects.totalCount === 1 ? '1 project' : `${data.projects.totalCount} projects`}${filtered ? ' match' : ''}
          </p>
          <a class="download no-print" href=${downloadHref('projects', query)} download>Download these projects (CSV)</a>
        </div>
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
          ${after && html`<a href=${withQuery('/projects', { ...pick(query, [...new Set(query.keys())]), after: '' })}>First page</a>`}
          ${data.projects.pageInfo.hasNextPage && html`
            <a href=${withQuery('/projects', { ...pick(query, [...new Set(query.keys())]), after: data.projects.pageInfo.endCursor })}>Next page</a>`}
        </nav>`}
    <//>`;
}
