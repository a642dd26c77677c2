// Replication on a project's page: another organisation's lead adopts the project, and
// the page shows where a project came from and where it went.
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { mutate } from '../lib/graphql.js';
import { navigate } from '../lib/router.js';
import { flash } from '../lib/ui.js';

const REPLICATE = `
  mutation Replicate($input: ReplicateProjectInput!) {
    replicateProject(input: $input) {
      project { id title }
      userErrors { field code message }
    }
  }`;

/** Leads of another organisation than the project's own may adopt it. */
export function canReplicate(viewer, project) {
  return viewer?.role === 'LEAD' && project.leadOrganisation.id !== viewer.organisation.id;
}

export function ReplicateButton({ project }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);
  // One key for this page's attempt: pressing twice, or a retry, makes one project.
  const [key] = useState(() => crypto.randomUUID());

  async function replicate() {
    setBusy(true);
    setProblem(null);
    try {
      const { payload, userErrors } = await mutate(
        REPLICATE, { input: { projectId: project.id, idempotencyKey: key } }, 'replicateProject',
      );
      if (userErrors.length) {
        setProblem(userErrors.map((e) => e.message).join(' '));
        return;
      }
      flash(`Your organisation now has its own copy: “${payload.project.title}”, at the idea stage, linked to the original.`);
      navigate(`/projects/${payload.project.id}`);
    } catch (error) {
      setProblem(error.message);
    } finally {
      setBusy(false);
    }
  }

  return html`
    <button type="button" class="button secondary" onClick=${replicate} disabled=${busy}>
      ${busy ? 'Replicating…' : 'Replicate this project'}
    </button>
    ${problem && html`<p class="field-error" role="alert">${problem}</p>`}`;
}

export function Lineage({ project }) {
  const from = project.replicatedFrom;
  const replications = project.replications;
  if (!from && !replications.length) return null;
  return html`
    <section id="lineage" class="panel" aria-labelledby="lineage-heading">
      <h2 id="lineage-heading">Lineage</h2>
      ${from && html`
        <p>Replicates <a href=${`/projects/${from.id}`}>${from.title}</a> (${from.leadOrganisation.name}).</p>
        ${from.lessons.totalCount > 0 && html`
          <p>What the original learned:</p>
          <ul>
            ${from.lessons.nodes.map((l) => html`<li key=${l.id}><a href=${`/projects/${from.id}#lessons`}>${l.title}</a></li>`)}
          </ul>`}`}
      ${replications.length > 0 && html`
        <p>Replicated by ${replications.length === 1 ? 'one project' : `${replications.length} projects`} elsewhere:</p>
        <ul>
          ${replications.map((r) => html`<li key=${r.id}><a href=${`/projects/${r.id}`}>${r.title}</a> (${r.leadOrganisation.name}, ${r.stage.toLowerCase()})</li>`)}
        </ul>`}
    </section>`;
}
