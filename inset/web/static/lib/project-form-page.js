// The frame of every form that records something on a project: which project, at which stage.
import { html } from './html.js';
import { label } from './format.js';
import { Loading, NotFound, Page, Problem, useQuery } from './ui.js';
import { canWriteProject } from './viewer.js';

const PROJECT_HEAD = `
  query ProjectHead($id: ID!) {
    node(id: $id) {
      ... on Project {
        id title stage status visibility version
        leadOrganisation { id } partners { id }
        lessons(first: 100) { nodes { stage } }
        readiness { toStage ready criteria { code description met mandatory } }
        outcomes { id name unit baseline baselineOn observations { observedOn } }
      }
    }
  }`;

/**
 * Loads the project, then renders `render(project, reload)` inside a page titled `title`.
 * A viewer who may not change the project is told so instead of being shown a form.
 */
export function ProjectFormPage({ params, viewer, title, lead, render }) {
  const { data, error, reload } = useQuery(PROJECT_HEAD, { id: params.id });
  if (error) return html`<div class="page"><${Problem} error=${error} retry=${reload} /></div>`;
  if (!data) return html`<div class="page"><${Loading} /></div>`;
  const project = data.node;
  if (!project) return html`<${NotFound} what="project" />`;
  const back = { href: `/projects/${project.id}`, text: project.title };
  if (!canWriteProject(viewer, project)) {
    return html`<${Page} title=${title} back=${back}><p>Only the project's own organisation, its partners and incubator staff can change it.</p><//>`;
  }
  return html`
    <${Page} title=${title} back=${back}
      lead=${lead ?? `For ${project.title}, now at the ${label(project.stage).toLowerCase()} stage.`}>
      ${render(project, reload)}
    <//>`;
}
