// The portfolio at a glance, for staff: the funnel, where projects stall, evidence, money,
// barriers, entries over time, regions and kinds side by side, and success stories. Every
// number leads to the projects behind it, with the portfolio's filter kept.
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { BarChart, FunnelChart } from '../lib/charts.js';
import { date, label, measure, money, ORGANISATION_KINDS, percent, STAGES } from '../lib/format.js';
import { Badge, Loading, Page, Problem, TableWrap, useQuery } from '../lib/ui.js';
import { navigate, withQuery } from '../lib/router.js';
import { downloadHref, NONE, pick, PORTFOLIO_PARAMS, projectFilter, projectsHref } from '../lib/filters.js';

const STALLED_DAYS = 90;
const QUIET_DAYS = 365;
const BEFORE_SCALE = ['IDEA', 'PILOT', 'EVALUATION'];

const GROUP = `key label projectCount strongEvidenceCount benefitCostRatio
  byStage { stage count } totalCost { amount } adjustedBenefit { amount }`;

const PORTFOLIO = `
  query Portfolio($filter: ProjectFilter, $days: Int!, $quiet: Int!) {
    portfolio(filter: $filter) {
      asOf projectCount
      byStage { stage count active onHold stopped }
      byTheme { key label count }
      byOrganisationKind { key label count }
      byRegion { key label count }
      conversion {
        fromStage toStage entered passed passedCount stopped stoppedCount recycled recycledCount
        onHold onHoldCount stillThere stillThereCount everRecycledCount
      }
      medianDaysInStage { stage completedStays completedCount openStays openCount }
      evidenceLevels { key label count }
      totalCost { amount } adjustedBenefit { amount } netBenefit { amount } benefitCostRatio
      stalled(days: $days, first: 50) {
        totalCount
        nodes { id title stage status daysInStage updatedAt leadOrganisation { name } }
      }
      quietAtScale(days: $quiet, first: 20) {
        totalCount
        nodes { id title daysInStage leadOrganisation { name } }
      }
      topBarriers(first: 10) { key label count }
      topEnablers(first: 10) { key label count }
      entries(interval: QUARTER) { start end label total byStage { stage count } }
      regions: groups(by: REGION) { ${GROUP} }
      kinds: groups(by: ORGANISATION_KIND) { ${GROUP} }
      successStories(first: 10) {
        baseline latest latestOn change improvement
        outcome { name unit higherIsBetter }
        project { id title leadOrganisation { name } }
      }
    }
    themes { id name }
  }`;

function Filters({ query, themes, regions }) {
  const [values, setValues] = useState({
    theme: query.get('theme') ?? '', kind: query.get('kind') ?? '', region: query.get('region') ?? '',
    from: query.get('from') ?? '', to: query.get('to') ?? '',
  });
  const set = (name) => (e) => setValues({ ...values, [name]: e.currentTarget.value });
  const apply = (event) => {
    event.preventDefault();
    navigate(withQuery('/portfolio', values));
  };
  const select = (name, text, any, options) => html`
    <div class="field">
      <label for=${`portfolio-${name}`}>${text}</label>
      <select id=${`portfolio-${name}`} class="input select" value=${values[name]} onChange=${set(name)}>
        <option value="">${any}</option>
        ${options.map(([v, t]) => html`<option key=${v} value=${v}>${t}</option>`)}
      </select>
    </div>`;
  return html`
    <form class="filters no-print" aria-label="Narrow the portfolio" onSubmit=${apply}>
      ${select('theme', 'Theme', 'Every theme', [...themes.map((t) => [t.id, t.name]), [NONE, 'No theme']])}
      ${select('kind', 'Lead organisation kind', 'Every kind', ORGANISATION_KINDS.map((k) => [k, label(k)]))}
      ${select('region', 'Region', 'Every region', regions.map((r) => [r.key || NONE, r.label]))}
      <div class="field">
        <label for="portfolio-from">Period from</label>
        <input id="portfolio-from" class="input" type="date" value=${values.from} onInput=${set('from')} />
      </div>
      <div class="field">
        <label for="portfolio-to">to (included)</label>
        <input id="portfolio-to" class="input" type="date" value=${values.to} onInput=${set('to')} />
      </div>
      <div class="filter-actions">
        <button type="submit" class="button">Show figures</button>
        ${query.toString() && html`<a href="/portfolio">Whole portfolio</a>`}
      </div>
    </form>`;
}

/** A number that opens the list of its projects; a zero opens nothing. */
function Count({ n, href, words }) {
  if (!n) return html`<span>${n ?? 0}</span>`;
  return html`<a href=${href} aria-label=${words}>${n}</a>`;
}

function Headline({ p, query }) {
  const all = projectsHref(query, {});
  const figure = (title, value, words) => html`
    <div class="figure"><dt>${title}</dt><dd><a class="figure-value nowrap" href=${all} aria-label=${`${title}: ${value}. ${words}`}>${value}</a></dd></div>`;
  const ratio = p.benefitCostRatio === null ? 'No costs yet' : p.benefitCostRatio.toFixed(2);
  const behind = `See the ${p.projectCount} projects behind it`;
  return html`
    <dl class="figures headline">
      ${figure('Projects', String(p.projectCount), 'See them')}
      ${figure('Costs after optimism bias', money(p.totalCost), behind)}
      ${figure('Adjusted benefits', money(p.adjustedBenefit), behind)}
      ${figure('Net benefit', money(p.netBenefit), behind)}
      ${figure('Benefit-cost ratio', ratio, behind)}
    </dl>`;
}

function Funnel({ p, query }) {
  const href = (stage, status) => projectsHref(query, { stage, status });
  const link = (stage, status, count) => html`<${Count} n=${count} href=${href(stage, status)}
    words=${`${count} ${status ? label(status).toLowerCase() : ''} at ${label(stage).toLowerCase()}`.replace(/\s+/g, ' ')} />`;
  return html`
    <section class="panel" aria-labelledby="funnel-heading">
      <h2 id="funnel-heading">Projects by stage and status</h2>
      <${FunnelChart} stages=${p.byStage} hrefOf=${href} />
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

const OUTCOMES = [
  ['passed', 'PASSED', 'Went on'], ['stopped', 'STOPPED', 'Stopped'], ['recycled', 'RECYCLED', 'Sent back'],
  ['onHold', 'ON_HOLD', 'On hold'], ['stillThere', 'STILL_THERE', 'Still there'],
];

function Gates({ p, query }) {
  const days = new Map(p.medianDaysInStage.map((d) => [d.stage, d]));
  const median = (value, count) => (value === null ? '–' : `${value} days (${count})`);
  const stage = (s) => label(s).toLowerCase();
  return html`
    <section class="panel" aria-labelledby="gates-heading">
      <h2 id="gates-heading">Through each gate</h2>
      <p class="small">Each project that reached a stage counts once, in one of five outcomes, so each row adds up to 100%.
        A project that went on counts as gone on, wherever it is now; the others count where they are now.
        Median days: stays that ended, and stays so far.</p>
      <${TableWrap} label="Through each gate">
        <table class="table">
          <thead><tr>
            <th scope="col">Gate</th><th scope="col" class="num">Reached</th>
            ${OUTCOMES.map(([, , text]) => html`<th key=${text} scope="col" class="num">${text}</th>`)}
            <th scope="col" class="num">Ever sent back</th>
            <th scope="col" class="num">Median days, ended</th><th scope="col" class="num">Median days so far</th>
          </tr></thead>
          <tbody>
            ${p.conversion.map((c) => {
              const d = days.get(c.fromStage);
              const href = (outcome) => projectsHref(query, { gate: c.fromStage, outcome });
              return html`
                <tr key=${c.fromStage}>
                  <th scope="row">${label(c.fromStage)} to ${stage(c.toStage)}</th>
                  <td class="num"><${Count} n=${c.entered} href=${href('ENTERED')} words=${`${c.entered} reached the ${stage(c.fromStage)} stage`} /></td>
                  ${OUTCOMES.map(([field, outcome, text]) => html`
                    <td key=${field} class="num">${c[field] === null ? '–' : html`
                      ${percent(c[field])} (<${Count} n=${c[`${field}Count`]} href=${href(outcome)}
                        words=${`${c[`${field}Count`]} at the ${stage(c.fromStage)} gate: ${text.toLowerCase()}`} />)`}</td>`)}
                  <td class="num">${c.everRecycledCount}</td>
                  <td class="num">${d ? median(d.completedStays, d.completedCount) : '–'}</td>
                  <td class="num">${d ? median(d.openStays, d.openCount) : '–'}</td>
                </tr>`;
            })}
          </tbody>
        </table>
      <//>
    </section>`;
}

function Stalled({ p, query }) {
  const { stalled, quietAtScale } = p;
  const all = projectsHref(query, { stage: BEFORE_SCALE, status: 'ACTIVE', idle: STALLED_DAYS });
  const quiet = projectsHref(query, { stage: 'SCALE', status: 'ACTIVE', idle: QUIET_DAYS });
  return html`
    <section class="panel" aria-labelledby="stalled-heading">
      <h2 id="stalled-heading">Stalled: no decision for ${STALLED_DAYS} days (<${Count} n=${stalled.totalCount} href=${all} words=${`all ${stalled.totalCount} stalled projects`} />)</h2>
      <p class="small muted">Active projects at the idea, pilot or evaluation stage. Projects at scale have no gate ahead, so they are listed apart below.</p>
      ${stalled.nodes.length === 0 ? html`<p class="muted">No active project has gone ${STALLED_DAYS} days without a decision.</p>` : html`
        <ul class="stalled">
          ${stalled.nodes.map((s) => html`
            <li key=${s.id}>
              <a href=${`/projects/${s.id}`}>${s.title}</a>
              <span class="small muted block">${s.leadOrganisation.name}; <${Badge} value=${s.stage} kind="stage" /> for ${s.daysInStage} days; last changed ${date(s.updatedAt)}</span>
            </li>`)}
        </ul>
        ${stalled.totalCount > stalled.nodes.length && html`<p class="small">Showing the ${stalled.nodes.length} stalled longest. <a href=${all}>See all ${stalled.totalCount}</a>.</p>`}`}
      <h3 class="h4">At scale with no decision for ${QUIET_DAYS} days (<${Count} n=${quietAtScale.totalCount} href=${quiet} words=${`all ${quietAtScale.totalCount} projects at scale with no decision for ${QUIET_DAYS} days`} />)</h3>
      ${quietAtScale.nodes.length === 0 ? html`<p class="muted">None.</p>` : html`
        <ul class="stalled">
          ${quietAtScale.nodes.map((s) => html`
            <li key=${s.id}><a href=${`/projects/${s.id}`}>${s.title}</a>
              <span class="small muted block">${s.leadOrganisation.name}; at scale for ${s.daysInStage} days</span></li>`)}
        </ul>`}
    </section>`;
}

function Entries({ p, query }) {
  const from = query.get('from');
  const to = query.get('to');
  const href = (q, stage) => projectsHref(query, {
    entered: stage, from: from && from > q.start ? from : q.start, to: to && to < q.end ? to : q.end,
  });
  return html`
    <section class="panel" aria-labelledby="entries-heading">
      <h2 id="entries-heading">Entries to each stage, by quarter</h2>
      <p class="small">A project enters the idea stage when it is created, and a later stage with a go decision into it.${from || to ? ' Only entries in the period count.' : ''}</p>
      ${p.entries.length === 0 ? html`<p class="muted">No entries.</p>` : html`
        <${TableWrap} label="Entries to each stage, by quarter">
          <table class="table">
            <thead><tr><th scope="col">Quarter</th>${STAGES.map((s) => html`<th key=${s} scope="col" class="num">${label(s)}</th>`)}<th scope="col" class="num">All</th></tr></thead>
            <tbody>
              ${p.entries.map((q) => html`
                <tr key=${q.start}>
                  <th scope="row">${q.label}</th>
                  ${q.byStage.map((e) => html`<td key=${e.stage} class="num"><${Count} n=${e.count} href=${href(q, e.stage)}
                    words=${`${e.count} entered the ${label(e.stage).toLowerCase()} stage, ${q.label}`} /></td>`)}
                  <td class="num">${q.total}</td>
                </tr>`)}
            </tbody>
          </table>
        <//>`}
    </section>`;
}

function Groups({ title, groups, param, query }) {
  const id = `${param}-groups-heading`;
  return html`
    <section class="panel" aria-labelledby=${id}>
      <h2 id=${id}>${title}</h2>
      <${TableWrap} label=${title}>
        <table class="table">
          <thead><tr>
            <th scope="col">Group</th><th scope="col" class="num">Projects</th>
            ${STAGES.map((s) => html`<th key=${s} scope="col" class="num">${label(s)}</th>`)}
            <th scope="col" class="num">Evidence level 3 or more</th>
            <th scope="col" class="num">Costs</th><th scope="col" class="num">Benefits</th><th scope="col" class="num">Ratio</th>
          </tr></thead>
          <tbody>
            ${groups.map((g) => {
              const key = g.key || NONE;
              const href = (more) => projectsHref(query, { [param]: key, ...more });
              return html`
                <tr key=${key}>
                  <th scope="row">${g.label}</th>
                  <td class="num"><${Count} n=${g.projectCount} href=${href({})} words=${`${g.projectCount} projects, ${g.label}`} /></td>
                  ${g.byStage.map((s) => html`<td key=${s.stage} class="num"><${Count} n=${s.count} href=${href({ stage: s.stage })}
                    words=${`${s.count} at ${label(s.stage).toLowerCase()}, ${g.label}`} /></td>`)}
                  <td class="num"><${Count} n=${g.strongEvidenceCount} href=${href({ min_level: 3 })} words=${`${g.strongEvidenceCount} at evidence level 3 or more, ${g.label}`} /></td>
                  <td class="num nowrap">${money(g.totalCost)}</td>
                  <td class="num nowrap">${money(g.adjustedBenefit)}</td>
                  <td class="num">${g.benefitCostRatio === null ? '–' : g.benefitCostRatio.toFixed(2)}</td>
                </tr>`;
            })}
          </tbody>
        </table>
      <//>
    </section>`;
}

function Stories({ p }) {
  return html`
    <section class="panel" aria-labelledby="stories-heading">
      <h2 id="stories-heading">Success stories: outcomes most improved on their baseline</h2>
      ${p.successStories.length === 0 ? html`<p class="muted">No outcome has improved on its baseline yet.</p>` : html`
        <ol class="stories">
          ${p.successStories.map((s, i) => html`
            <li key=${i}>
              <a href=${`/projects/${s.project.id}#outcomes`}>${s.project.title}</a>
              <span class="small muted"> (${s.project.leadOrganisation.name})</span>
              <span class="block">${s.outcome.name}: ${measure(s.baseline, s.outcome.unit)} to ${measure(s.latest, s.outcome.unit)}
                on ${date(s.latestOn)}, ${percent(s.improvement)} better (${s.outcome.higherIsBetter ? 'higher' : 'lower'} is better)</span>
            </li>`)}
        </ol>`}
    </section>`;
}

function withLinks(items, hrefOf) {
  return items.map((item) => ({ ...item, href: hrefOf(item) }));
}

export function Portfolio({ query }) {
  const filter = projectFilter(query, null);
  const { data, error, loading, reload } = useQuery(PORTFOLIO, { filter, days: STALLED_DAYS, quiet: QUIET_DAYS });
  const p = data?.portfolio;
  const library = (kinds) => (item) => withQuery('/library', { barrier: item.key, kind: kinds });
  const download = downloadHref('projects', new URLSearchParams(withQuery('', { ...pick(query, PORTFOLIO_PARAMS), scope: 'all' }).slice(1)));
  return html`
    <${Page} title="Portfolio" wide
      lead="Every project you may read: where each stands, where they stall, how strong the evidence is, and what they cost and save. Every number leads to its projects.">
      ${data && html`<${Filters} key=${query.toString()} query=${query} themes=${data.themes} regions=${p.byRegion} />`}
      ${loading && !data && html`<${Loading} what="Working out the figures" />`}
      ${error && html`<${Problem} error=${error} retry=${reload} />`}
      ${p && html`
        <div class="result-bar">
          <p class="small muted" role="status">${p.projectCount} projects${query.get('from') || query.get('to') ? ' under way in the period' : ''}, figures as of ${date(p.asOf)}.</p>
          <a class="download no-print" href=${download} download>Download these projects (CSV)</a>
        </div>
        <${Headline} p=${p} query=${query} />
        <div class="portfolio-grid">
          <${Funnel} p=${p} query=${query} />
          <${Stalled} p=${p} query=${query} />
        </div>
        <${Gates} p=${p} query=${query} />
        <${Entries} p=${p} query=${query} />
        <${Groups} title="By region of the lead organisation" groups=${p.regions} param="region" query=${query} />
        <${Groups} title="By kind of lead organisation" groups=${p.kinds} param="kind" query=${query} />
        <${Stories} p=${p} />
        <div class="portfolio-grid three">
          <section class="panel" aria-labelledby="levels-heading"><h2 id="levels-heading">Evidence strength</h2>
            <${BarChart} caption="Projects by evidence level" items=${withLinks(p.evidenceLevels, (g) => projectsHref(query, { level: g.key }))} /></section>
          <section class="panel" aria-labelledby="themes-heading"><h2 id="themes-heading">By theme</h2>
            <${BarChart} caption="Projects by theme" items=${withLinks(p.byTheme, (g) => projectsHref(query, { with_theme: g.key || NONE }))}
              note=${`A project can have several themes and counts under each, so these add up to more than the ${p.projectCount} projects.`} /></section>
          <section class="panel" aria-labelledby="barriers-heading"><h2 id="barriers-heading">Barriers most often met</h2>
            <${BarChart} caption="Lessons by barrier" unitWord="lessons" items=${withLinks(p.topBarriers, library(['BARRIER', 'WHAT_DID_NOT_WORK']))}
              note="Counted from lessons about a barrier or about what did not work: a lesson with two barriers counts under each." /></section>
          <section class="panel" aria-labelledby="enablers-heading"><h2 id="enablers-heading">What helped most often</h2>
            <${BarChart} caption="Lessons by enabler" unitWord="lessons" items=${withLinks(p.topEnablers, library(['ENABLER']))}
              note="Counted from lessons about an enabler." /></section>
        </div>`}
    <//>`;
}
