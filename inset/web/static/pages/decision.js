// The gate decision: GO, HOLD, RESUME, RECYCLE or STOP, with the lesson inline where one is required.
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { mutate } from '../lib/graphql.js';
import { ConflictNotice, Form, useForm } from '../lib/forms.js';
import { Checkbox, checkDates, DateInput, dateValue, Radios, Select, TextArea } from '../lib/fields.js';
import { label, STAGES } from '../lib/format.js';
import { flash, useQuery } from '../lib/ui.js';
import { navigate } from '../lib/router.js';
import { ProjectFormPage } from '../lib/project-form-page.js';
import { criterionLink } from './project-gates.js';
import { LessonFields } from './records.js';
import { countRecommendations, PANEL_FIELDS, Recommendations } from './review-panel.js';

const PANEL = `query DecisionPanel($id: ID!) { node(id: $id) { ... on Project { id ${PANEL_FIELDS} } } }`;

/** What the gate's review panel recommends, as far as the viewer may read it. */
function PanelAdvice({ project }) {
  const { data } = useQuery(PANEL, { id: project.id });
  const panel = data?.node?.reviewPanel;
  if (!panel) return null;
  const submitted = panel.reviews.filter((r) => r.submittedAt);
  return html`
    <div class="notice notice-info">
      <${Recommendations} heading="The gate review panel"
        panel=${{ ...panel, complete: panel.status === 'COMPLETE', recommendations: submitted.length ? countRecommendations(submitted) : null }} />
      ${submitted.length > 0 && html`<p><a href=${`/projects/${project.id}#reviews`}>Read the reviews</a></p>`}
    </div>`;
}

const DECIDE = `
  mutation DecideGate($input: DecideGateInput!) {
    decideGate(input: $input) {
      decision { id decision }
      project { id stage status }
      userErrors { field code message }
    }
  }`;

const LESSON_CONTEXT = Object.fromEntries(
  ['kind', 'title', 'body', 'barriers', 'anonymised'].map((name) => [`lesson.${name}`, 'The lesson']),
);

/** The decisions open to the project as it stands, each with what it does. */
function choices(project) {
  const next = STAGES[STAGES.indexOf(project.stage) + 1];
  if (project.status === 'ON_HOLD') {
    return [
      ['RESUME', 'Resume', 'Carry on at the same stage.'],
      ['STOP', 'Stop', 'End the project for good. Record what was learned, so others can use it.'],
    ];
  }
  return [
    next && ['GO', `Go to ${label(next)}`, `Move to the ${label(next).toLowerCase()} stage. Every required criterion must be met.`],
    ['HOLD', 'Hold', 'Pause at this stage, and say when to look again.'],
    project.stage !== 'IDEA' && ['RECYCLE', 'Recycle', 'Go back to an earlier stage. Needs a lesson.'],
    ['STOP', 'Stop', 'End the project for good. Needs a lesson: learning from a trial that failed is the point.'],
  ].filter(Boolean);
}

function Unmet({ project, viewer }) {
  const unmet = project.readiness.criteria.filter((c) => c.mandatory && !c.met);
  if (!unmet.length) return html`<p class="notice notice-success">Every required criterion of the ${label(project.readiness.toStage).toLowerCase()} gate is met.</p>`;
  return html`
    <div class="notice notice-warning">
      <h2 class="h3">Not ready for a go yet</h2>
      <p>${viewer.role === 'STAFF' ? 'These required criteria are unmet. You can override the gate, with your reason.' : 'A go needs these met first:'}</p>
      <ul>
        ${unmet.map((c) => {
          const link = criterionLink(project.id, c.code);
          return html`<li key=${c.code}>${c.description} ${link && html`<a href=${link.href.startsWith('#') ? `/projects/${project.id}${link.href}` : link.href}>${link.text}</a>`}</li>`;
        })}
      </ul>
    </div>`;
}

function DecisionForm({ project, viewer, reload }) {
  const open = choices(project);
  const [reloaded, setReloaded] = useState(false);
  const hasLessonHere = project.lessons.nodes.some((l) => l.stage === project.stage);
  const form = useForm({
    draftKey: `decision:${project.id}`,
    initial: {
      decision: '', toStage: '', rationale: '', revisitOn: '', override: false,
      'lesson.kind': 'WHAT_DID_NOT_WORK', 'lesson.title': '', 'lesson.body': '', 'lesson.barriers': [], 'lesson.anonymised': false,
    },
    validate: (v) => {
      const found = {};
      if (!open.some(([value]) => value === v.decision)) found.decision = 'Choose a decision';
      if (v.decision === 'RECYCLE' && !v.toStage) found.toStage = 'Choose the stage to go back to';
      return v.decision === 'HOLD' ? checkDates(found, v, ['revisitOn']) : found;
    },
  });
  const decision = form.value('decision');
  const needsLesson = decision === 'STOP' || decision === 'RECYCLE';
  const earlier = STAGES.slice(0, STAGES.indexOf(project.stage));

  async function again() {
    await reload();
    form.clearConflict();
    setReloaded(true);
  }

  async function submit(event) {
    const payload = await form.submit(event, (v, key) => {
      const typedLesson = v['lesson.title'].trim() || v['lesson.body'].trim();
      const lesson = needsLesson && (typedLesson || !hasLessonHere) ? {
        kind: v['lesson.kind'], title: v['lesson.title'], body: v['lesson.body'],
        barriers: v['lesson.barriers'], anonymised: v['lesson.anonymised'],
      } : null;
      return mutate(DECIDE, {
        input: {
          projectId: project.id, decision: v.decision, rationale: v.rationale, expectedVersion: project.version,
          toStage: v.decision === 'RECYCLE' ? v.toStage : null,
          override: v.decision === 'GO' && viewer.role === 'STAFF' && v.override,
          revisitOn: v.decision === 'HOLD' ? dateValue(v.revisitOn) : null,
          lesson, idempotencyKey: key,
        },
      }, 'decideGate');
    });
    if (payload) {
      const after = payload.project;
      const where = after.status === 'STOPPED' ? 'The project is stopped; its lessons stay for others.'
        : `The project is now at the ${label(after.stage).toLowerCase()} stage${after.status === 'ON_HOLD' ? ', on hold' : ''}.`;
      flash(`Decision recorded: ${label(payload.decision.decision)}. ${where}`);
      navigate(`/projects/${project.id}#history`);
    }
  }

  if (!open.length || project.status === 'STOPPED') {
    return html`<p>This project is stopped: it takes no more decisions.</p>`;
  }
  return html`
    <${ConflictNotice} form=${form} onReload=${again} reloadText="Reload the project, keeping what I typed" />
    ${reloaded && html`<p class="notice notice-info" role="status">Reloaded: the project is now at the ${label(project.stage).toLowerCase()} stage, ${label(project.status).toLowerCase()}. Check your decision still stands, then take it again.</p>`}
    <${PanelAdvice} project=${project} />
    <${Form} form=${form} onSubmit=${submit} submitText="Record the decision" cancel=${`/projects/${project.id}`} context=${LESSON_CONTEXT}>
      <${Radios} form=${form} name="decision" legend="Decision" options=${open} />
      ${decision === 'GO' && html`<${Unmet} project=${project} viewer=${viewer} />`}
      ${decision === 'GO' && viewer.role === 'STAFF' && !project.readiness.ready && html`
        <${Checkbox} form=${form} name="override" label="Override the gate: go although required criteria are unmet"
          hint="Staff only. The unmet criteria are stored with the decision; give your reason in the rationale." />`}
      ${decision === 'RECYCLE' && html`
        <${Select} form=${form} name="toStage" label="Stage to go back to" placeholder="Choose a stage" options=${earlier.map((s) => [s, label(s)])} />`}
      ${decision === 'HOLD' && html`
        <${DateInput} form=${form} name="revisitOn" label="Look again on (optional)" />`}
      <${TextArea} form=${form} name="rationale" label=${decision === 'GO' && form.value('override') ? 'Rationale, and the reason for the override' : 'Rationale'}
        hint="Why this decision: it stays in the project's history for good." rows="4" />
      ${needsLesson && html`
        <fieldset class="group">
          <legend class="h3">${hasLessonHere ? 'A lesson (optional: the project has one from this stage already)' : `A lesson (required to ${decision === 'STOP' ? 'stop' : 'recycle'})`}</legend>
          <p class="hint">Recorded with the decision, from the ${label(project.stage).toLowerCase()} stage.</p>
          <${LessonFields} form=${form} prefix="lesson." />
        </fieldset>`}
    <//>`;
}

export function DecideGate(props) {
  return html`
    <${ProjectFormPage} ...${props} title="Take a gate decision"
      render=${(project, reload) => html`<${DecisionForm} project=${project} viewer=${props.viewer} reload=${reload} />`} />`;
}
