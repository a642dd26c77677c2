// The portfolio at a glance, for staff: the funnel, where projects stall, evidence, money, barriers.
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { BarChart, FunnelChart } from '../lib/charts.js';
import { date, label, money, percent } from '../lib/format.js';
import { Badge, Loading, Page, Problem, TableWrap, useQuery } from '../lib/ui.js';
import { navigate, withQuery } from '../lib/router.js';

const STALLED_DAYS = 90;
const ORGANISATION_KINDS = ['LOCAL_AUTHORITY', 'REGIONAL_ADOPTION_AGENCY', 'VOLUNTARY_ADOPTION_AGENCY',
  'INDEPENDENT_FOSTERING_AGENCY', 'CHARITY', 'PRIVATE_PARTNER', 'HEALTH', 'POLICE', 'EDUCATION', 'OTHER'];

const PORTFOLIO = `
  query Portfolio($filter: ProjectFilter, $days: Int!) {
    portfolio(filter: $filter) {
      asOf projectCount
      byStage { stage count active onHold stopped }
      byTheme { key label count }
      byOrganisationKind { key label count }
      byRegion { key label count }
      conversion { fromStage toStage entered passed passedCount stopped stoppedCount recycled recycledCount inProgress inProgressCount }
      medianDaysInStage { stage completedStays completedCount openStays openCount }
      evidenceLevels { key label count }
      totalCost { amount } adjustedBenefit { amount } netBenefit { amount } benefitCostRatio
      stalled(days: $days, first: 50) {
        totalCount
        nodes { id title stage status daysInStage updatedAt leadOrganisation { name } }
      }
      topBarriers(first: 10) { key label count }
    }
    themes { id name }
  }`;

function filterFrom(query) {
  const filter = {};
  if (query.get('theme')) filter.themes = [query.get('theme')];
  if (query.get('kind')) filter.organisationKinds = [query.get('kind')];
  return filter;
}

function Filters({ query, themes }) {
  const [theme, setTheme] = useState(query.get('theme') ?? '');
  const [kind, setKind] = useState(query.get('kind') ?? '');
  const apply = (event) => {
    event.preventDefault();
    navigate(withQuery('/portfolio', { theme, kind }));
  };
  return html`
    <form class="filters" aria-label="Narrow the portfolio" onSubmit=${apply}>
      <div class="field">
        <label for="portfolio-theme">Theme</label>
        <select id="portfolio-theme" class="input select" value=${theme} onChange=${(e) => setTheme(e.currentTarget.value)}>
          <option value="">Every theme</option>
          ${themes.map((t) => html`<option key=${t.id} value=${t.id}>${t.name}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="portfolio-kind">Lead organisation kind</label>
        <select id="portfolio-kind" class="input select" value=${kind} onChange=${(e) => setKind(e.currentTarget.value)}>
          <option value="">Every kind</option>
          ${ORGANISATION_KINDS.map((k) => html`<option key=${k} value=${k}>${label(k)}</option>`)}
        </select>
      </div>
      <div class="filter-actions">
        <button type="submit" class="button">Show figures</button>
        ${query.toString() && html`<a href="/portfolio">Whole portfolio</a>`}
      </div>
    </form>`;
}

function Headline({ p }) {
  return html`
    <dl class="figures headline">
      <div class="figure"><dt>Projects</dt><dd><span class="figure-value">${p.projectCount}</span></dd></div>
      <div class="figure"><dt>Costs after optimism bias</dt><dd><span class="figure-value nowrap">${money(p.totalCost)}</span></dd></div>
      <div class="figure"><dt>Adjusted benefits</dt><dd><span class="figure-value nowrap">${money(p.adjustedBenefit)}</span></dd></div>
      <div class="figure"><dt>Net benefit</dt><dd><span class="figure-value nowrap">${money(p.netBenefit)}</span></dd></div>
      <div class="figure"><dt>Benefit-cost ratio</dt><dd><span class="figure-value">${p.benefitCostRatio === null ? 'No costs yet' : p.benefitCostRatio.toFixed(2)}</span></dd></div>
    </dl>`;
}

function Funnel({ p }) {
  const link = (stage, status, count) => {
    if (!count) return html`<span>0</span>`;
    const href = withQuery('/projects', { stage, status, scope: 'all' });
    const words = `${count} ${status ? label(status).toLowerCase() : ''} at ${label(stage).toLowerCase()}`.replace(/\s+/g, ' ');
    return html`<a href=${href} aria-label=${words}>${count}</a>`;
  };
  return html`
    <section class="panel" aria-labelledby="funnel-heading">
      <h2 id="funnel-heading">Projects by stage and status</h2>
      <${FunnelChart} stages=${p.byStage} />
      <${TableWrap} label="Projects by stage and status">
        <table class="table">
          <caption class="visually-hidden">Projects by stage and status; each number links to the projects</caption>
          <thead><tr><th scope="col">Stage</th><th scope="col" class="num">Active</th><th scope="col" class="num">On hold</th><th scope="col" class="num">Stopped</th><th scope="col" class="num">All</th></tr></thead>
          <tbody>
            ${p.byStage.map((s) => html`
              <tr key=${s.stage}>
                <th scope="row">${label(s.stage)}</th>
                <td class="num">${link(s.stage, 'ACTIVE', s.active)}</td>
                <td class="num">${link(s.stage, 'ON_HOLD', s.onHold)}</td>
                <td class="num">${link(s.stage, 'STOPPED', s.stopped)}</td>
                <td class="num">${link(s.stage, '', s.count)}</td>
              </tr>`)}
          </tbody>
        </table>
      <//>
    </section>`;
}

function share(value, count) {
  return value === null ? '–' : `${percent(value)} (${count})`;
}

function Gates({ p }) {
  const days = new Map(p.medianDaysInStage.map((d) => [d.stage, d]));
  const median = (value, count) => (value === null ? '–' : `${value} days (${count})`);
  return html`
    <section class="panel" aria-labelledby="gates-heading">
      <h2 id="gates-heading">Through each gate</h2>
      <p class="small">Of the projects that reached a stage: how many went on, were stopped or sent back there, or are still there. Median days: stays that ended, and stays so far.</p>
      <${TableWrap} label="Through each gate">
        <table class="table">
          <thead><tr><th scope="col">Gate</th><th scope="col" class="num">Reached</th><th scope="col" class="num">Went on</th><th scope="col" class="num">Stopped</th><th scope="col" class="num">Recycled</th><th scope="col" class="num">Still there</th><th scope="col" class="num">Median days, ended</th><th scope="col" class="num">Median days so far</th></tr></thead>
          <tbody>
            ${p.conversion.map((c) => {
              const d = days.get(c.fromStage);
              return html`
                <tr key=${c.fromStage}>
                  <th scope="row">${label(c.fromStage)} to ${label(c.toStage)}</th>
                  <td class="num">${c.entered}</td>
                  <td class="num">${share(c.passed, c.passedCount)}</td>
                  <td class="num">${share(c.stopped, c.stoppedCount)}</td>
                  <td class="num">${share(c.recycled, c.recycledCount)}</td>
                  <td class="num">${share(c.inProgress, c.inProgressCount)}</td>
                  <td class="num">${d ? median(d.completedStays, d.completedCount) : '–'}</td>
                  <td class="num">${d ? median(d.openStays, d.openCount) : '–'}</td>
                </tr>`;
            })}
          </tbody>
        </table>
      <//>
    </section>`;
}

function Stalled({ p }) {
  const { stalled } = p;
  return html`
    <section class="panel" aria-labelledby="stalled-heading">
      <h2 id="stalled-heading">Stalled: no decision for ${STALLED_DAYS} days (${stalled.totalCount})</h2>
      ${stalled.nodes.length === 0 ? html`<p class="muted">No active project has gone ${STALLED_DAYS} days without a decision.</p>` : html`
        <ul class="stalled">
          ${stalled.nodes.map((s) => html`
            <li key=${s.id}>
              <a href=${`/projects/${s.id}`}>${s.title}</a>
              <span class="small muted block">${s.leadOrganisation.name}; <${Badge} value=${s.stage} kind="stage" /> for ${s.daysInStage} days; last changed ${date(s.updatedAt)}</span>
            </li>`)}
        </ul>
        ${stalled.totalCount > stalled.nodes.length && html`<p class="small">Showing the ${stalled.nodes.length} stalled longest.</p>`}`}
    </section>`;
}

function Groups({ title, items, caption, unitWord }) {
  return html`
    <section class="panel" aria-labelledby=${`${caption}-heading`.replace(/\W+/g, '-')}>
      <h2 id=${`${caption}-heading`.replace(/\W+/g, '-')}>${title}</h2>
      <${BarChart} items=${items} caption=${caption} unitWord=${unitWord} />
    </section>`;
}

export function Portfolio({ query }) {
  const { data, error, loading, reload } = useQuery(PORTFOLIO, { filter: filterFrom(query), days: STALLED_DAYS });
  const p = data?.portfolio;
  return html`
    <${Page} title="Portfolio" wide
      lead="Every project you may read: where each stands, where they stall, how strong the evidence is, and what they cost and save.">
      ${data && html`<${Filters} key=${query.toString()} query=${query} themes=${data.themes} />`}
      ${loading && !data && html`<${Loading} what="Working out the figures" />`}
      ${error && html`<${Problem} error=${error} retry=${reload} />`}
      ${p && html`
        <p class="small muted" role="status">${p.projectCount} projects, figures as of ${date(p.asOf)}.</p>
        <${Headline} p=${p} />
        <div class="portfolio-grid">
          <${Funnel} p=${p} />
          <${Stalled} p=${p} />
        </div>
        <${Gates} p=${p} />
        <div class="portfolio-grid three">
          <${Groups} title="Evidence strength" items=${p.evidenceLevels} caption="Projects by evidence level" />
          <${Groups} title="By theme" items=${p.byTheme} caption="Projects by theme" />
          <${Groups} title="By kind of lead organisation" items=${p.byOrganisationKind} caption="Projects by kind of lead organisation" />
          <${Groups} title="By region" items=${p.byRegion} caption="Projects by region" />
          <${Groups} title="Barriers most often met" items=${p.topBarriers} caption="Lessons by barrier" unitWord="lessons" />
        </div>`}
    <//>`;
}
