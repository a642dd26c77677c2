// The review panel of a project's next gate: on the project page, on the decision page and in
// the history, and the staff's page to appoint and withdraw reviewers.
import { html } from '../lib/html.js';
import { mutate } from '../lib/graphql.js';
import { Form, useForm } from '../lib/forms.js';
import { Checkboxes, TextInput } from '../lib/fields.js';
import { date, label } from '../lib/format.js';
import { flash, Loading, NotFound, Page, Problem, useQuery } from '../lib/ui.js';
import { navigate } from '../lib/router.js';

/** The fields of a panel every page asks for. */
export const PANEL_FIELDS = `
  reviewPanel {
    toStage appointed submitted status required
    reviews {
      id submittedAt recommendation rationale
      reviewer { id name organisation { name } }
      assessments { criterion description assessment comment }
    }
  }`;

const ASSESSMENT_WORDS = { MET: 'Met', PARTLY_MET: 'Partly met', NOT_MET: 'Not met' };

function progress(panel) {
  const of = `${panel.submitted} of ${panel.appointed} ${panel.appointed === 1 ? 'reviewer has' : 'reviewers have'} submitted`;
  return panel.status === 'COMPLETE' ? `Complete: ${of}.` : `In progress: ${of}.`;
}

/** One reviewer's review, criterion by criterion. */
export function ReviewText({ review }) {
  if (!review.submittedAt) {
    return html`<li class="review"><p><strong>${review.reviewer.name}</strong> (${review.reviewer.organisation.name}): not submitted yet.</p></li>`;
  }
  return html`
    <li class="review">
      <p class="decision-head"><strong>${review.reviewer.name}</strong>
        <span class="small muted">${review.reviewer.organisation.name}, ${date(review.submittedAt)}</span></p>
      <p>Recommends: <strong>${label(review.recommendation)}</strong></p>
      <blockquote class="rationale"><span class="visually-hidden">Rationale: </span>${review.rationale}</blockquote>
      <ul class="assessments">
        ${review.assessments.map((a) => html`
          <li key=${a.criterion}><strong>${ASSESSMENT_WORDS[a.assessment]}:</strong> ${a.description}
            ${a.comment && html`<br /><span class="small">${a.comment}</span>`}</li>`)}
      </ul>
    </li>`;
}

/** The panel on the project page: its state to every reader, the reviews to those who may read them. */
export function ReviewPanel({ project, viewer }) {
  const panel = project.reviewPanel;
  const staff = viewer?.role === 'STAFF';
  const gate = panel ?? (project.readiness.criteria.length ? project.readiness : null);
  if (!gate) return null;
  const appoint = staff && project.status !== 'STOPPED' && (!panel || panel.status !== 'COMPLETE')
    && html`<p><a class="button secondary" href=${`/projects/${project.id}/reviewers`}>Appoint reviewers</a></p>`;
  return html`
    <section id="reviews" class="panel" aria-labelledby="reviews-heading">
      <h2 id="reviews-heading">Gate review: ${label(project.stage)} to ${label(gate.toStage)}</h2>
      ${!panel && html`<p class="muted">No reviewers appointed yet.</p>`}
      ${panel && html`
        <p><strong>${progress(panel)}</strong>${panel.required ? ' A go at this gate needs a complete panel.' : ''}</p>
        ${panel.reviews.some((r) => r.submittedAt) || staff
          ? html`<ol class="reviews">${panel.reviews.map((r) => html`<${ReviewText} key=${r.id} review=${r} />`)}</ol>`
          : html`<p class="small">The reviews are shown to the project's team once every reviewer has submitted.</p>`}`}
      ${appoint}
    </section>`;
}

/** The panel's recommendations as a decision found them (history) or as they stand (decision page). */
export function Recommendations({ panel, heading = 'The review panel' }) {
  if (!panel) return null;
  const counts = panel.recommendations;
  return html`
    <div class="recommendations">
      <p><strong>${heading}:</strong> ${panel.submitted} of ${panel.appointed} reviewers submitted${panel.complete ? '' : ' (not complete)'}.
        ${counts && counts.length > 0 && html` Recommended: ${counts.map((c) => `${label(c.recommendation)} ${c.count}`).join(', ')}.`}</p>
    </div>`;
}

/** Counts of recommendations from a live panel's readable reviews. */
export function countRecommendations(reviews) {
  const counts = {};
  for (const r of reviews) if (r.recommendation) counts[r.recommendation] = (counts[r.recommendation] ?? 0) + 1;
  return Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([recommendation, count]) => ({ recommendation, count }));
}

const REVIEWERS = `
  query Reviewers($id: ID!, $search: String) {
    node(id: $id) {
      ... on Project {
        id title stage status
        readiness { toStage criteria { code } }
        ${PANEL_FIELDS}
        reviewerCandidates(search: $search, first: 50) { id name role organisation { name } }
      }
    }
  }`;

const APPOINT = `
  mutation Appoint($input: AppointReviewersInput!) {
    appointReviewers(input: $input) {
      project { id reviewPanel { appointed } }
      userErrors { field code message }
    }
  }`;

const WITHDRAW = `
  mutation Withdraw($input: WithdrawReviewerInput!) {
    withdrawReviewer(input: $input) { review { id } userErrors { field code message } }
  }`;

function AppointForm({ project, search, reload }) {
  const form = useForm({
    initial: { reviewerIds: [], search },
    validate: (v) => (v.reviewerIds.length ? {} : { reviewerIds: 'Choose at least one reviewer' }),
  });
  const candidates = project.reviewerCandidates;
  async function submit(event) {
    const payload = await form.submit(event, (v, key) => mutate(APPOINT, {
      input: { projectId: project.id, reviewerIds: v.reviewerIds, idempotencyKey: key },
    }, 'appointReviewers'));
    if (payload) {
      flash(`Reviewers appointed: the panel has ${payload.project.reviewPanel.appointed}.`);
      navigate(`/projects/${project.id}#reviews`);
    }
  }
  async function withdraw(review) {
    const { userErrors } = await mutate(WITHDRAW, { input: { reviewId: review.id } }, 'withdrawReviewer');
    if (userErrors.length) window.alert(userErrors[0].message);
    await reload();
  }
  const waiting = (project.reviewPanel?.reviews ?? []).filter((r) => !r.submittedAt);
  return html`
    ${waiting.length > 0 && html`
      <h2 class="h3">Not submitted yet</h2>
      <ul class="plain-list">
        ${waiting.map((r) => html`<li key=${r.id}>${r.reviewer.name} (${r.reviewer.organisation.name})${' '}
          <button type="button" class="link-button" onClick=${() => withdraw(r)}>Withdraw<span class="visually-hidden"> ${r.reviewer.name}</span></button></li>`)}
      </ul>`}
    <form class="form search-form" method="get" action=${`/projects/${project.id}/reviewers`}
      onSubmit=${(e) => { e.preventDefault(); navigate(`/projects/${project.id}/reviewers?search=${encodeURIComponent(form.value('search'))}`); }}>
      <${TextInput} form=${form} name="search" label="Search by name" />
      <button type="submit" class="button secondary">Search</button>
    </form>
    <${Form} form=${form} onSubmit=${submit} submitText="Appoint reviewers" cancel=${`/projects/${project.id}#reviews`}>
      ${candidates.length
        ? html`<${Checkboxes} form=${form} name="reviewerIds" legend="Reviewers"
            hint="Incubator staff, or people of other member organisations: never the project's own organisations."
            options=${candidates.map((a) => [a.id, `${a.name}, ${a.organisation.name}${a.role === 'STAFF' ? ' (staff)' : ''}`])} />`
        : html`<p>Nobody ${search ? 'of that name ' : ''}can be appointed.${project.reviewPanel ? '' : ' For a private project, only staff can review.'}</p>`}
    <//>`;
}

export function AppointReviewers({ params, query, viewer }) {
  const search = query.get('search') ?? '';
  const { data, error, reload } = useQuery(REVIEWERS, { id: params.id, search: search || null });
  if (error) return html`<div class="page"><${Problem} error=${error} retry=${reload} /></div>`;
  if (!data) return html`<div class="page"><${Loading} /></div>`;
  const project = data.node;
  if (!project) return html`<${NotFound} what="project" />`;
  const back = { href: `/projects/${project.id}#reviews`, text: project.title };
  if (viewer.role !== 'STAFF') {
    return html`<${Page} title="Appoint reviewers" back=${back}><p>Only incubator staff appoint reviewers.</p><//>`;
  }
  return html`
    <${Page} title="Appoint reviewers" back=${back}
      lead=${`For the ${label(project.stage).toLowerCase()} to ${label(project.readiness.toStage).toLowerCase()} gate of ${project.title}.`}>
      <${AppointForm} project=${project} search=${search} reload=${reload} />
    <//>`;
}
