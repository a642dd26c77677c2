// A project's page: where it stands, what the next gate still needs, its history and records.
import { useEffect } from 'preact/hooks';
import { html } from '../lib/html.js';
import { scrollToFragment } from '../lib/router.js';
import { Badge, Loading, Page, Problem, useQuery } from '../lib/ui.js';
import { date, label } from '../lib/format.js';
import { canWriteProject } from '../lib/viewer.js';
import { Decisions, Readiness, StageTimeline } from './project-gates.js';
import { Economics, EvidenceList, Lessons, Outcomes } from './project-records.js';
import { NotShared } from './lesson.js';

export const PROJECT = `
  query Project($id: ID!) {
    node(id: $id) {
      ... on Project {
        id title summary problem theoryOfChange stage status visibility innovationType
        evidenceLevel startedOn stageEnteredAt revisitOn createdAt updatedAt version daysInStage
        themes { id name }
        leadOrganisation { id name kind region }
        partners { id name }
        lead { id name }
        readiness { toStage ready criteria { code description met mandatory } }
        decisions(first: 100) {
          totalCount
          nodes {
            id decision fromStage toStage statusAfter rationale override unmetCriteria revisitOn decidedAt
            decidedBy { id name }
            lesson { id title kind }
          }
        }
        evidence(first: 100) {
          totalCount
          nodes { id kind title summary level independent stage reference recordedAt recordedBy { name } }
        }
        outcomes {
          id name unit higherIsBetter baseline baselineOn target latest change improved
          observations { value observedOn note }
        }
        costs(first: 100) {
          totalCount
          nodes {
            id category description amount { amount } adjustedAmount { amount } recurring
            periodStart periodEnd stage fundingSource confidence
          }
        }
        benefits(first: 100) {
          totalCount
          nodes {
            id kind description amount { amount } adjustedAmount { amount } beneficiary
            periodStart periodEnd deadweight attribution confidence stage
          }
        }
        lessons(first: 100) {
          totalCount
          nodes { id kind title body stage barriers anonymised recordedAt visibility }
        }
        economics {
          grossCost { amount } totalCost { amount } grossBenefit { amount } adjustedBenefit { amount }
          netBenefit { amount } benefitCostRatio fiscalRoi paybackMonths presentValueBenefit { amount }
        }
      }
    }
  }`;

function Summary({ project }) {
  return html`
    <div class="project-summary">
      <p class="badges">
        <${Badge} value=${project.stage} kind="stage" />
        <${Badge} value=${project.status} kind="status" />
        <${Badge} value=${project.visibility} kind="visibility" />
      </p>
      <p class="lead">${project.summary}</p>
      <dl class="facts">
        <div><dt>Lead organisation</dt><dd>${project.leadOrganisation.name}</dd></div>
        ${project.partners.length > 0 && html`<div><dt>Partners</dt><dd>${project.partners.map((p) => p.name).join(', ')}</dd></div>`}
        ${project.lead && html`<div><dt>Led by</dt><dd>${project.lead.name}</dd></div>`}
        <div><dt>Type of innovation</dt><dd>${label(project.innovationType)}</dd></div>
        <div><dt>Themes</dt><dd>${project.themes.length ? project.themes.map((t) => t.name).join(', ') : 'None yet'}</dd></div>
        <div><dt>Evidence level</dt><dd>${project.evidenceLevel} of 5</dd></div>
        <div><dt>Started</dt><dd>${date(project.startedOn)}</dd></div>
        <div><dt>At this stage since</dt><dd>${date(project.stageEnteredAt)} (${project.daysInStage} days)</dd></div>
        ${project.revisitOn && html`<div><dt>Look again on</dt><dd>${date(project.revisitOn)}</dd></div>`}
      </dl>
      <div class="prose-pair">
        <section aria-labelledby="problem-heading">
          <h2 id="problem-heading" class="h3">The problem</h2>
          ${project.problem ? html`<p class="prose">${project.problem}</p>` : html`<p class="muted">Not stated yet.</p>`}
        </section>
        <section aria-labelledby="toc-heading">
          <h2 id="toc-heading" class="h3">Theory of change</h2>
          ${project.theoryOfChange ? html`<p class="prose">${project.theoryOfChange}</p>` : html`<p class="muted">Not written yet.</p>`}
        </section>
      </div>
    </div>`;
}

const SECTIONS = [
  ['readiness', 'Next gate'], ['history', 'History'], ['evidence', 'Evidence'],
  ['outcomes', 'Outcomes'], ['money', 'Costs and benefits'], ['lessons', 'Lessons'],
];

export function ProjectPage({ params, viewer }) {
  const { data, error, loading, reload } = useQuery(PROJECT, { id: params.id });
  useEffect(() => {
    if (data) scrollToFragment();
  }, [Boolean(data)]);
  if (loading && !data) return html`<div class="page"><${Loading} what="Loading the project" /></div>`;
  if (error) return html`<div class="page"><${Problem} error=${error} retry=${reload} /></div>`;
  const project = data?.node;
  if (!project) return html`<${NotShared} viewer=${viewer} what="project" />`;
  const writable = canWriteProject(viewer, project);
  const base = `/projects/${project.id}`;
  const actions = writable && html`
    <a class="button secondary" href=${`${base}/edit`}>Edit project</a>
    ${project.status !== 'STOPPED' && html`<a class="button" href=${`${base}/decision`}>Take a gate decision</a>`}`;
  return html`
    <${Page} title=${project.title} back=${viewer ? { href: '/projects', text: 'Projects' } : { href: '/library', text: 'Learning library' }}
      actions=${actions} wide>
      <${Summary} project=${project} />
      <nav class="in-page" aria-label="On this page">
        <ul>${SECTIONS.map(([id, text]) => html`<li key=${id}><a href=${`#${id}`}>${text}</a></li>`)}</ul>
      </nav>
      <div class="project-grid">
        <${Readiness} project=${project} writable=${writable} />
        <section id="history" class="panel" aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <${StageTimeline} project=${project} />
          <${Decisions} project=${project} />
        </section>
      </div>
      <${EvidenceList} project=${project} writable=${writable} />
      <${Outcomes} project=${project} writable=${writable} />
      <${Economics} project=${project} writable=${writable} />
      <${Lessons} project=${project} writable=${writable} />
    <//>`;
}
