// The project list's filters as they live in the address (/projects?stage=PILOT&theme=...),
// shared by the projects page, the portfolio's links and the CSV downloads: the server
// reads the same parameters (inset/web/downloads.py), so a page and its download agree.
import { date, label } from './format.js';
import { withQuery } from './router.js';

/** In an address, the group of projects without a theme, or whose lead has no region. */
export const NONE = 'none';

// Parameters that narrow the list to a portfolio figure's projects.
export const FIGURE_PARAMS = ['entered', 'gate', 'outcome', 'idle', 'with_theme', 'level'];
// The portfolio's own filter, which its links pass on to the list.
export const PORTFOLIO_PARAMS = ['theme', 'kind', 'region', 'from', 'to'];
export const LIST_PARAMS = ['q', 'stage', 'status', 'theme', 'kind', 'region', 'min_level', 'from', 'to', ...FIGURE_PARAMS];

const group = (value) => (value === NONE ? '' : value);
const all = (query, name) => query.getAll(name).filter(Boolean);

/** The ProjectFilter for the API from the address's parameters. */
export function projectFilter(query, viewer) {
  const filter = {};
  const set = (field, values) => { if (values.length) filter[field] = values; };
  set('stages', all(query, 'stage'));
  set('statuses', all(query, 'status'));
  set('themes', all(query, 'theme').map(group));
  set('organisationKinds', all(query, 'kind'));
  set('regions', all(query, 'region').map(group));
  set('evidenceLevels', all(query, 'level').map(Number));
  if (query.get('min_level')) filter.minEvidenceLevel = Number(query.get('min_level'));
  if (query.get('q')) filter.search = query.get('q');
  if (query.get('from')) filter.from = query.get('from');
  if (query.get('to')) filter.to = query.get('to');
  if (query.get('entered')) filter.enteredStage = query.get('entered');
  if (query.get('gate')) filter.gate = { stage: query.get('gate'), outcome: query.get('outcome') || 'ENTERED' };
  if (query.get('idle')) filter.noDecisionForDays = Number(query.get('idle'));
  if (query.has('with_theme')) filter.withTheme = group(query.get('with_theme'));
  const mine = viewer && query.get('scope') !== 'all' && viewer.role !== 'STAFF';
  if (mine) filter.organisations = [viewer.organisation.id];
  return filter;
}

/** The named parameters of the address, as an object for `withQuery`. */
export function pick(query, names) {
  const found = {};
  for (const name of names) if (query.getAll(name).length) found[name] = query.getAll(name);
  return found;
}

/** The list of the projects behind a figure: the portfolio's filter and the figure's own. */
export function projectsHref(portfolioQuery, figure) {
  return withQuery('/projects', { ...pick(portfolioQuery, PORTFOLIO_PARAMS), ...figure, scope: 'all' });
}

/** The CSV file of a list, from the page's own parameters. */
export function downloadHref(what, query) {
  const params = Object.fromEntries([...new Set(query.keys())].filter((k) => k !== 'after').map((k) => [k, query.getAll(k)]));
  return withQuery(`/downloads/${what}.csv`, params);
}

const OUTCOME_WORDS = {
  ENTERED: 'reached the', PASSED: 'went on from the', STOPPED: 'were stopped at the',
  RECYCLED: 'were sent back from the', ON_HOLD: 'are on hold at the', STILL_THERE: 'are still active at the',
};

/** The figure filters in words, for the list's heading: what narrowed it down. */
export function describe(query, themes = []) {
  const found = [];
  const stage = (name) => label(query.get(name)).toLowerCase();
  const period = query.get('from') || query.get('to')
    ? [query.get('from') && `from ${date(query.get('from'))}`, query.get('to') && `to ${date(query.get('to'))}`].filter(Boolean).join(' ')
    : '';
  if (query.get('entered')) found.push(`Entered the ${stage('entered')} stage${period ? ` ${period}` : ''}`);
  else if (period) found.push(`Under way ${period}`);
  if (query.get('gate')) found.push(`Projects that ${OUTCOME_WORDS[query.get('outcome') || 'ENTERED'] ?? 'reached the'} ${stage('gate')} stage`);
  if (query.get('idle')) found.push(`No gate decision for ${query.get('idle')} days or more`);
  if (query.has('with_theme')) {
    const id = query.get('with_theme');
    found.push(id === NONE ? 'Without a theme' : `With the theme ${themes.find((t) => t.id === id)?.name ?? 'chosen'}`);
  }
  const levels = all(query, 'level');
  if (levels.length) found.push(`At evidence level ${levels.join(' or ')}`);
  return found;
}
