// The gate side of a project: its stages, every decision with its rationale, the next gate's checklist.
import { html } from '../lib/html.js';
import { date, label, STAGES } from '../lib/format.js';
import { Badge } from '../lib/ui.js';
import { Recommendations } from './review-panel.js';

/** For each criterion: where the form that meets it is, and what to call the link. */
const CRITERION_FORMS = {
  problem_stated: ['edit?field=problem', 'State the problem'],
  theory_of_change_stated: ['edit?field=theoryOfChange', 'Write the theory of change'],
  outcome_with_baseline: ['outcomes/new', 'Define an outcome with a baseline'],
  estimated_cost: ['costs/new', 'Record a cost'],
  theme_set: ['edit?field=themeIds', 'Choose a theme'],
  partner_named: ['edit?field=partnerOrganisationIds', 'Name a partner'],
  evidence_level_2: ['evidence/new', 'Record evidence'],
  outcome_observed_after_baseline: ['#outcomes', 'Add an observation to an outcome'],
  pilot_costs_recorded: ['costs/new', 'Record a pilot cost'],
  lesson_recorded: ['lessons/new', 'Record a lesson'],
  benefit_estimated: ['benefits/new', 'Record a benefit'],
  evidence_level_3: ['evidence/new', 'Record evidence'],
  independent_evaluation: ['evidence/new', 'Record an independent evaluation'],
  benefits_recorded: ['benefits/new', 'Record a benefit with an amount'],
  evaluation_lesson: ['lessons/new', 'Record a lesson'],
  bcr_at_least_1: ['#money', 'See the costs and benefits'],
  replication_partner: ['edit?field=partnerOrganisationIds', 'Name a partner'],
  panel_complete: ['#reviews', 'See the gate review'],
};

export function criterionLink(projectId, code) {
  const found = CRITERION_FORMS[code];
  if (!found) return null;
  const [path, text] = found;
  return { href: path.startsWith('#') ? path : `/projects/${projectId}/${path}`, text };
}

function Criterion({ project, criterion, writable }) {
  const link = criterionLink(project.id, criterion.code);
  return html`
    <li class=${criterion.met ? 'criterion met' : 'criterion unmet'}>
      <span class="criterion-mark" aria-hidden="true">${criterion.met ? '✓' : '✗'}</span>
      <div>
        <p><span class="visually-hidden">${criterion.met ? 'Met: ' : 'Not met yet: '}</span>${criterion.description}</p>
        ${!criterion.met && writable && link && html`<p class="criterion-action"><a href=${link.href}>${link.text}</a></p>`}
      </div>
    </li>`;
}

/** The checklist of the next gate: what is met, and a link to the form for each thing that is not. */
export function Readiness({ project, writable }) {
  const { readiness } = project;
  const must = readiness.criteria.filter((c) => c.mandatory);
  const advice = readiness.criteria.filter((c) => !c.mandatory);
  const missing = must.filter((c) => !c.met).length;
  let standing;
  if (project.status === 'STOPPED') {
    standing = html`<p>This project is stopped: it takes no more gate decisions. Its lessons stay in the library.</p>`;
  } else if (project.stage === 'SCALE') {
    standing = html`<p>The project is at scale, the last stage: there is no further gate.</p>`;
  } else if (readiness.ready) {
    standing = html`<p class="ready"><strong>Ready for the gate to ${label(readiness.toStage).toLowerCase()}.</strong> Every required criterion is met.</p>`;
  } else {
    standing = html`<p><strong>${missing} of ${must.length} required criteria still to meet</strong> before a go to the ${label(readiness.toStage).toLowerCase()} stage.</p>`;
  }
  const writableNow = writable && project.status !== 'STOPPED';
  return html`
    <section id="readiness" class="panel" aria-labelledby="readiness-heading">
      <h2 id="readiness-heading">${readiness.criteria.length ? `Next gate: ${label(project.stage)} to ${label(readiness.toStage).toLowerCase()}` : 'Next gate'}</h2>
      ${standing}
      ${project.status === 'ON_HOLD' && html`<p>The project is on hold${project.revisitOn ? ` until ${date(project.revisitOn)}` : ''}: resume it before a go.</p>`}
      ${must.length > 0 && html`
        <h3>Required</h3>
        <ul class="checklist">${must.map((c) => html`<${Criterion} key=${c.code} project=${project} criterion=${c} writable=${writableNow} />`)}</ul>`}
      ${advice.length > 0 && html`
        <h3>Advised</h3>
        <ul class="checklist">${advice.map((c) => html`<${Criterion} key=${c.code} project=${project} criterion=${c} writable=${writableNow} />`)}</ul>`}
      ${writableNow && html`<p><a class="button" href=${`/projects/${project.id}/decision`}>Take a gate decision</a></p>`}
    </section>`;
}

/** Idea → Pilot → Evaluation → Scale, with where the project is. */
export function StageTimeline({ project }) {
  const at = STAGES.indexOf(project.stage);
  return html`
    <ol class="stages" aria-label="Stages">
      ${STAGES.map((stage, i) => {
        const state = i < at ? 'done' : i === at ? 'current' : 'later';
        const words = { done: 'passed', current: project.status === 'ACTIVE' ? 'now' : `now, ${label(project.status).toLowerCase()}`, later: 'to come' }[state];
        return html`
          <li key=${stage} class=${`stage stage-${state}`} aria-current=${state === 'current' ? 'step' : undefined}>
            <span class="stage-name">${label(stage)}</span>
            <span class="stage-state">${words}</span>
          </li>`;
      })}
    </ol>`;
}

function Decision({ decision }) {
  const moved = decision.fromStage !== decision.toStage;
  return html`
    <li class="decision">
      <p class="decision-head">
        <${Badge} value=${decision.decision} kind="decision" />
        <span>${moved ? `${label(decision.fromStage)} to ${label(decision.toStage).toLowerCase()}` : `at the ${label(decision.fromStage).toLowerCase()} stage`}${decision.statusAfter !== 'ACTIVE' ? `, now ${label(decision.statusAfter).toLowerCase()}` : ''}</span>
      </p>
      <p class="small muted">${date(decision.decidedAt)}${decision.decidedBy ? `, by ${decision.decidedBy.name}` : ''}</p>
      <blockquote class="rationale"><span class="visually-hidden">Rationale: </span>${decision.rationale}</blockquote>
      ${decision.override && html`
        <p class="override"><strong>Gate overridden by staff.</strong> Unmet then: ${decision.unmetCriteria.map((c) => c.replace(/_/g, ' ')).join(', ')}.</p>`}
      <${Recommendations} panel=${decision.panel} heading="Gate review" />
      ${decision.revisitOn && html`<p class="small">Look again on ${date(decision.revisitOn)}.</p>`}
      ${decision.lesson && html`<p class="small">Lesson recorded with it: <a href="#lessons">${decision.lesson.title}</a></p>`}
    </li>`;
}

/** Every gate decision, oldest first, with its rationale. */
export function Decisions({ project }) {
  const { nodes, totalCount } = project.decisions;
  return html`
    <h3>Gate decisions</h3>
    ${nodes.length === 0
      ? html`<p class="muted">No decision yet: the project started at the idea stage on ${date(project.createdAt)}.</p>`
      : html`<ol class="decisions">${nodes.map((d) => html`<${Decision} key=${d.id} decision=${d} />`)}</ol>`}
    ${totalCount > nodes.length && html`<p class="small">Showing the first ${nodes.length} of ${totalCount} decisions.</p>`}`;
}
