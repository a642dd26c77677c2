// A lesson's own page, its permanent link: open to anyone where the lesson is public.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { mutate } from '../lib/graphql.js';
import { Badge, Loading, Page, Problem, useQuery } from '../lib/ui.js';
import { date, label, sentence } from '../lib/format.js';
import { anonymousSource, people, Source } from '../lib/lessons.js';
import { withQuery } from '../lib/router.js';

const LESSON = `
  query LessonPage($id: ID!) {
    node(id: $id) {
      ... on Lesson {
        id kind title body stage barriers anonymised recordedAt projectOutcome organisationKind region
        visibility usefulCount markedUsefulByViewer
        organisation { id name }
        project { id title themes { id name } }
        related(first: 5) {
          id kind title stage projectOutcome organisationKind region anonymised
          organisation { id name }
          project { id title }
        }
      }
    }
  }`;

const MARK_FIELDS = 'lesson { id usefulCount markedUsefulByViewer } userErrors { field code message }';
const MARK = `mutation MarkUseful($input: LessonMarkInput!) { markLessonUseful(input: $input) { ${MARK_FIELDS} } }`;
const UNMARK = `mutation UnmarkUseful($input: LessonMarkInput!) { unmarkLessonUseful(input: $input) { ${MARK_FIELDS} } }`;

const OUTCOMES = { STOPPED: 'The trial was stopped', ACTIVE: 'The project is still active', ON_HOLD: 'The project is on hold' };

function Useful({ lesson, viewer }) {
  const [state, setState] = useState({ count: lesson.usefulCount, marked: lesson.markedUsefulByViewer });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);
  useEffect(() => setState({ count: lesson.usefulCount, marked: lesson.markedUsefulByViewer }), [lesson.id]);
  const counted = html`<p class="useful-count" aria-live="polite">Useful to ${people(state.count)}</p>`;
  if (!viewer) {
    const next = withQuery('/sign-in', { next: `/lessons/${lesson.id}` });
    return html`<div class="useful">${counted}<p class="small"><a href=${next}>Sign in</a> to mark it useful.</p></div>`;
  }
  async function toggle() {
    setBusy(true);
    setProblem(null);
    try {
      const name = state.marked ? 'unmarkLessonUseful' : 'markLessonUseful';
      const { payload, userErrors } = await mutate(state.marked ? UNMARK : MARK, { input: { lessonId: lesson.id } }, name);
      if (userErrors.length) setProblem(sentence(userErrors[0].message));
      else setState({ count: payload.lesson.usefulCount, marked: payload.lesson.markedUsefulByViewer });
    } catch (error) {
      setProblem(error.message);
    } finally {
      setBusy(false);
    }
  }
  return html`
    <div class="useful">
      <button type="button" class=${state.marked ? 'button' : 'button secondary'} aria-pressed=${state.marked ? 'true' : 'false'}
        disabled=${busy} onClick=${toggle}>${state.marked ? 'Marked useful' : 'Mark as useful'}</button>
      ${counted}
      ${problem && html`<p class="field-error" role="alert">${problem}</p>`}
    </div>`;
}

function Related({ lessons }) {
  return html`
    <section class="panel" aria-labelledby="related-heading">
      <h2 id="related-heading">Related lessons</h2>
      ${lessons.length === 0
        ? html`<p class="muted">No other project's lesson shares a theme or barrier with this one yet.</p>`
        : html`<ul class="records">
            ${lessons.map((l) => html`
              <li key=${l.id} class="record">
                <h3 class="h4"><a href=${`/lessons/${l.id}`}>${l.title}</a></h3>
                <p class="badges"><${Badge} value=${l.kind} kind="lesson" /> <span class="badge">From ${label(l.stage).toLowerCase()}</span>
                  <${Badge} value=${l.projectOutcome} kind="status" /></p>
                <p class="small muted"><${Source} lesson=${l} /></p>
              </li>`)}
          </ul>`}
    </section>`;
}

export function LessonPage({ params, viewer }) {
  const { data, error, loading, reload } = useQuery(LESSON, { id: params.id });
  if (loading && !data) return html`<div class="page"><${Loading} what="Loading the lesson" /></div>`;
  if (error) return html`<div class="page"><${Problem} error=${error} retry=${reload} /></div>`;
  const lesson = data?.node;
  if (!lesson) return html`<${NotShared} viewer=${viewer} />`;
  const themes = lesson.project?.themes ?? [];
  return html`
    <${Page} title=${lesson.title} back=${{ href: '/library', text: 'Learning library' }}>
      <p class="badges">
        <${Badge} value=${lesson.kind} kind="lesson" />
        <span class="badge">From ${label(lesson.stage).toLowerCase()}</span>
        <${Badge} value=${lesson.projectOutcome} kind="status" />
        ${lesson.anonymised && html`<span class="badge">Anonymised</span>`}
      </p>
      <p class="prose lesson-body">${lesson.body}</p>
      <dl class="facts">
        <div><dt>From</dt><dd>${lesson.anonymised && !lesson.organisation
          ? sentence(anonymousSource(lesson.organisationKind, lesson.region))
          : html`<${Source} lesson=${lesson} />`}</dd></div>
        <div><dt>Stage it came from</dt><dd>${label(lesson.stage)}</dd></div>
        <div><dt>How the trial stands</dt><dd>${OUTCOMES[lesson.projectOutcome] ?? label(lesson.projectOutcome)}</dd></div>
        <div><dt>Barriers</dt><dd>${lesson.barriers.length ? lesson.barriers.join(', ') : 'None tagged'}</dd></div>
        ${themes.length > 0 && html`<div><dt>Themes</dt><dd>${themes.map((t) => t.name).join(', ')}</dd></div>`}
        <div><dt>Recorded</dt><dd>${date(lesson.recordedAt)}</dd></div>
      </dl>
      ${lesson.project && html`<p><a href=${`/projects/${lesson.project.id}`}>See the project: ${lesson.project.title}</a></p>`}
      <${Useful} lesson=${lesson} viewer=${viewer} />
      <${Related} lessons=${lesson.related} />
    <//>`;
}

/** The same answer whether the lesson does not exist or is not shared with the reader. */
export function NotShared({ viewer, what = 'lesson' }) {
  return html`
    <${Page} title="Not found or not shared with you">
      <p>There is no ${what} at this address, or it is not shared with you.</p>
      ${viewer
        ? html`<p>Look for it in the <a href="/library">learning library</a>.</p>`
        : html`<p>If it was shared with members, <a href=${withQuery('/sign-in', { next: window.location.pathname })}>sign in</a> to see it, or browse the <a href="/library">learning library</a>.</p>`}
    <//>`;
}
