// The reviewer's side: the reviews to do, and the review form (criterion by criterion, then a
// recommendation and its rationale).
import { html } from '../lib/html.js';
import { mutate } from '../lib/graphql.js';
import { Form, useForm } from '../lib/forms.js';
import { Radios, TextArea } from '../lib/fields.js';
import { date, label } from '../lib/format.js';
import { flash, Loading, NotFound, Page, Problem, useQuery } from '../lib/ui.js';
import { navigate } from '../lib/router.js';

const TO_DO = `
  query ReviewsToDo {
    viewer { id reviewsToDo { id toStage appointedAt submittedAt project { id title stage leadOrganisation { name } } } }
  }`;

export function ReviewsToDo() {
  const { data, error, reload } = useQuery(TO_DO, {});
  if (error) return html`<div class="page"><${Problem} error=${error} retry=${reload} /></div>`;
  if (!data) return html`<div class="page"><${Loading} /></div>`;
  const items = data.viewer?.reviewsToDo ?? [];
  return html`
    <${Page} title="Reviews to do" lead="Gates incubator staff asked you to review. You can change a review you have sent until every reviewer on its panel has sent theirs.">
      ${items.length === 0
        ? html`<p>You have no reviews to do.</p>`
        : html`<ul class="cards">
            ${items.map((r) => html`
              <li key=${r.id} class="card">
                <h2 class="h3"><a href=${`/reviews/${r.id}`}>${r.project?.title ?? 'A project you can no longer see'}</a></h2>
                <p>${r.project ? `${r.project.leadOrganisation.name}: ` : ''}the ${label(r.project?.stage ?? '').toLowerCase()} to ${label(r.toStage).toLowerCase()} gate.</p>
                <p class="small muted">${r.submittedAt ? `Sent on ${date(r.submittedAt)}; you can still change it.` : `Asked on ${date(r.appointedAt)}; not sent yet.`}</p>
              </li>`)}
          </ul>`}
    <//>`;
}

const REVIEW = `
  query Review($id: ID!) {
    node(id: $id) {
      ... on GateReview {
        id toStage submittedAt correctable recommendation rationale reviewer { id }
        assessments { criterion assessment comment }
        project {
          id title stage summary
          readiness { toStage criteria { code description met mandatory } }
        }
      }
    }
  }`;

const SUBMIT = `
  mutation SubmitReview($input: SubmitReviewInput!) {
    submitReview(input: $input) {
      review { id recommendation }
      userErrors { field code message }
    }
  }`;

const ASSESSMENTS = [
  ['MET', 'Met'],
  ['PARTLY_MET', 'Partly met'],
  ['NOT_MET', 'Not met'],
];

const RECOMMENDATIONS = [
  ['GO', 'Go', 'Move to the next stage.'],
  ['HOLD', 'Hold', 'Pause at this stage.'],
  ['RECYCLE', 'Recycle', 'Go back to an earlier stage.'],
  ['STOP', 'Stop', 'End the project.'],
];

function ReviewForm({ review }) {
  const { project } = review;
  // The panel's own criterion is not for the panel to assess.
  const criteria = project.readiness.criteria.filter((c) => c.code !== 'panel_complete');
  const earlier = Object.fromEntries(review.assessments.map((a) => [a.criterion, a]));
  const initial = { recommendation: review.recommendation ?? '', rationale: review.rationale ?? '' };
  criteria.forEach((c, i) => {
    initial[`assessments.${i}.assessment`] = earlier[c.code]?.assessment ?? '';
    initial[`assessments.${i}.comment`] = earlier[c.code]?.comment ?? '';
  });
  const form = useForm({
    draftKey: `review:${review.id}`,
    initial,
    // Everything a person can check is checked at once, so the errors come in one round.
    validate: (v) => {
      const found = {};
      criteria.forEach((c, i) => {
        const choice = v[`assessments.${i}.assessment`];
        if (!choice) found[`assessments.${i}.assessment`] = 'Select whether this criterion is met';
        else if (choice !== 'MET' && !v[`assessments.${i}.comment`].trim()) {
          found[`assessments.${i}.comment`] = 'Enter a comment saying why this criterion is not fully met';
        }
      });
      if (!v.recommendation) found.recommendation = 'Select a recommendation';
      if (!v.rationale.trim()) found.rationale = 'Enter a rationale for your recommendation';
      return found;
    },
  });
  const context = {};
  criteria.forEach((c, i) => {
    context[`assessments.${i}.assessment`] = `Criterion ${i + 1}`;
    context[`assessments.${i}.comment`] = `Criterion ${i + 1}`;
  });

  async function submit(event) {
    const payload = await form.submit(event, (v) => mutate(SUBMIT, {
      input: {
        reviewId: review.id,
        assessments: criteria.map((c, i) => ({
          criterion: c.code,
          assessment: v[`assessments.${i}.assessment`],
          comment: v[`assessments.${i}.comment`] || null,
        })),
        recommendation: v.recommendation,
        rationale: v.rationale,
      },
    }, 'submitReview'));
    if (payload) {
      flash(`Review sent: you recommend ${label(payload.review.recommendation).toLowerCase()}.`);
      navigate('/reviews');
    }
  }

  return html`
    <${Form} form=${form} onSubmit=${submit} submitText=${review.submittedAt ? 'Send the corrected review' : 'Send the review'}
      cancel="/reviews" context=${context}>
      ${criteria.map((c, i) => html`
        <fieldset class="group criterion-review" key=${c.code}>
          <legend class="h3">Criterion ${i + 1}${c.mandatory ? '' : ' (advice)'}</legend>
          <p>${c.description}</p>
          <p class="small muted">${c.met ? 'The records meet it as they stand.' : 'The records do not meet it yet.'}</p>
          <${Radios} form=${form} name=${`assessments.${i}.assessment`} legend="Your assessment" options=${ASSESSMENTS} inline />
          <${TextArea} form=${form} name=${`assessments.${i}.comment`} label="Comment"
            hint="Required when the criterion is partly met or not met." rows="3" />
        </fieldset>`)}
      <${Radios} form=${form} name="recommendation" legend="Your recommendation" options=${RECOMMENDATIONS} />
      <${TextArea} form=${form} name="rationale" label="Rationale" hint="Why you recommend this. The project's team reads it once every reviewer has sent theirs." rows="4" />
    <//>`;
}

export function ReviewPage({ params, viewer }) {
  const { data, error, reload } = useQuery(REVIEW, { id: params.id });
  if (error) return html`<div class="page"><${Problem} error=${error} retry=${reload} /></div>`;
  if (!data) return html`<div class="page"><${Loading} /></div>`;
  const review = data.node;
  if (!review || !review.project) return html`<${NotFound} what="review" />`;
  const { project } = review;
  const back = { href: '/reviews', text: 'Reviews to do' };
  const title = `Review the ${label(project.stage).toLowerCase()} to ${label(review.toStage).toLowerCase()} gate`;
  return html`
    <${Page} title=${title} back=${back} lead=${html`For <a href=${`/projects/${project.id}`}>${project.title}</a>.`}>
      ${review.correctable && review.reviewer.id === viewer.id
        ? html`<${ReviewForm} review=${review} />`
        : html`<p>This review can no longer be changed: the panel is complete or the gate decision has been taken.</p>`}
    <//>`;
}
