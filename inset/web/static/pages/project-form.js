// Starting a project, and editing one (with a reload instead of an overwrite on a conflict).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { mutate, request } from '../lib/graphql.js';
import { ConflictNotice, Form, useForm } from '../lib/forms.js';
import { blank, Checkboxes, checkDates, DateInput, dateValue, Radios, Select, TextArea, TextInput } from '../lib/fields.js';
import { flash, Loading, NotFound, Page, Problem, useQuery } from '../lib/ui.js';
import { label, shortDate } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { canWrite } from '../lib/viewer.js';

const PROJECT_REQUIRED = { title: 'Enter a title', summary: 'Enter a summary of the project' };

const INNOVATION_TYPES = ['PRACTICE', 'TECHNOLOGY', 'COMMISSIONING', 'WORKFORCE', 'PARTNERSHIP'];
const VISIBILITY = [
  ['PRIVATE', 'Private', 'Your organisation, the partners named on the project, and incubator staff.'],
  ['MEMBERS', 'Members', 'Everyone signed in to Inset.'],
  ['PUBLIC', 'Public', 'Anyone, without signing in. Checked for personal data such as emails and phone numbers.'],
];

const OPTIONS = `
  query ProjectOptions {
    themes { id name }
    organisations(first: 100) { nodes { id name kind } }
  }`;

const PROJECT_FOR_EDIT = `
  query ProjectForEdit($id: ID!) {
    node(id: $id) {
      ... on Project {
        id title summary problem theoryOfChange innovationType startedOn version visibility
        themes { id } partners { id } leadOrganisation { id name }
      }
    }
  }`;

const PAYLOAD = 'project { id version } userErrors { field code message }';
const CREATE = `mutation CreateProject($input: CreateProjectInput!) { createProject(input: $input) { ${PAYLOAD} } }`;
const UPDATE = `mutation UpdateProject($input: UpdateProjectInput!) { updateProject(input: $input) { ${PAYLOAD} } }`;
const SET_VISIBILITY = `mutation SetVisibility($input: SetVisibilityInput!) { setVisibility(input: $input) { ${PAYLOAD} } }`;

const LABELS = {
  title: 'Title', summary: 'Summary', problem: 'The problem', theoryOfChange: 'Theory of change',
  innovationType: 'Type of innovation', themeIds: 'Themes', partnerOrganisationIds: 'Partner organisations',
  startedOn: 'Start date', leadOrganisationId: 'Lead organisation', visibility: 'Who can see it',
};

function ProjectFields({ form, options, leadId, creating }) {
  const partners = options.organisations.nodes.filter((o) => o.id !== leadId).map((o) => [o.id, o.name]);
  return html`
    <${TextInput} form=${form} name="title" label=${LABELS.title} hint="A short name others will recognise." maxlength="200" />
    <${TextArea} form=${form} name="summary" label=${LABELS.summary} hint="What the project does, in two or three sentences." rows="3" />
    <${TextArea} form=${form} name="problem" label=${LABELS.problem} hint="What is going wrong now, and for whom. Needed before the pilot gate." />
    <${TextArea} form=${form} name="theoryOfChange" label=${LABELS.theoryOfChange}
      hint="How what you do leads to the outcomes you want: if we do this, then that changes, because… Needed before the pilot gate." rows="6" />
    <${Select} form=${form} name="innovationType" label=${LABELS.innovationType}
      options=${INNOVATION_TYPES.map((t) => [t, label(t)])} />
    <${Checkboxes} form=${form} name="themeIds" legend=${LABELS.themeIds} hint="So that others working on the same problem find it." columns
      options=${options.themes.map((t) => [t.id, t.name])} />
    <${Checkboxes} form=${form} name="partnerOrganisationIds" legend=${LABELS.partnerOrganisationIds}
      hint="Organisations working on the project with you. They can read and update it." columns options=${partners} />
    <${DateInput} form=${form} name="startedOn" label=${LABELS.startedOn}
      hint=${`Costs and benefits count their years from this date.${creating ? ' Left empty: today.' : ''}`} />`;
}

function useOptions() {
  return useQuery(OPTIONS, {});
}

export function NewProject({ viewer }) {
  const options = useOptions();
  if (!canWrite(viewer)) {
    return html`<${Page} title="New project"><p>Leads and incubator staff start projects. Ask your organisation's lead.</p><//>`;
  }
  if (options.error) return html`<div class="page"><${Problem} error=${options.error} retry=${options.reload} /></div>`;
  if (!options.data) return html`<div class="page"><${Loading} /></div>`;
  return html`<${NewProjectForm} viewer=${viewer} options=${options.data} />`;
}

function NewProjectForm({ viewer, options }) {
  const staff = viewer.role === 'STAFF';
  const form = useForm({
    draftKey: 'new-project',
    required: PROJECT_REQUIRED,
    initial: {
      title: '', summary: '', problem: '', theoryOfChange: '', innovationType: 'PRACTICE', themeIds: [],
      partnerOrganisationIds: [], startedOn: '', visibility: 'PRIVATE',
      leadOrganisationId: staff ? '' : viewer.organisation.id,
    },
    validate: (v) => checkDates(v.leadOrganisationId ? {} : { leadOrganisationId: 'Choose the organisation that leads the project' }, v, ['startedOn']),
  });
  async function submit(event) {
    const payload = await form.submit(event, (v, key) => mutate(CREATE, {
      input: {
        title: v.title, summary: v.summary, problem: blank(v.problem), theoryOfChange: blank(v.theoryOfChange),
        innovationType: v.innovationType, themeIds: v.themeIds, partnerOrganisationIds: v.partnerOrganisationIds,
        leadOrganisationId: v.leadOrganisationId, visibility: v.visibility, startedOn: dateValue(v.startedOn),
        idempotencyKey: key,
      },
    }, 'createProject'));
    if (payload) {
      flash('Project created at the idea stage. The checklist shows what the pilot gate needs.');
      navigate(`/projects/${payload.project.id}`);
    }
  }
  return html`
    <${Page} title="New project" back=${{ href: '/projects', text: 'Projects' }}
      lead="A new project starts at the idea stage. You can fill in the rest later.">
      <${Form} form=${form} onSubmit=${submit} submitText="Create project" cancel="/projects">
        ${staff && html`<${Select} form=${form} name="leadOrganisationId" label=${LABELS.leadOrganisationId}
          placeholder="Choose an organisation" options=${options.organisations.nodes.map((o) => [o.id, o.name])} />`}
        <${ProjectFields} form=${form} options=${options} leadId=${form.value('leadOrganisationId')} creating />
        <${Radios} form=${form} name="visibility" legend=${LABELS.visibility} options=${VISIBILITY} />
      <//>
    <//>`;
}

function editValues(project) {
  return {
    title: project.title, summary: project.summary, problem: project.problem ?? '',
    theoryOfChange: project.theoryOfChange ?? '', innovationType: project.innovationType,
    themeIds: project.themes.map((t) => t.id), partnerOrganisationIds: project.partners.map((p) => p.id),
    startedOn: shortDate(project.startedOn),
  };
}

export function EditProject({ params, query }) {
  const options = useOptions();
  const loaded = useQuery(PROJECT_FOR_EDIT, { id: params.id });
  const problem = options.error ?? loaded.error;
  if (problem) return html`<div class="page"><${Problem} error=${problem} retry=${() => { options.reload(); loaded.reload(); }} /></div>`;
  if (!options.data || !loaded.data) return html`<div class="page"><${Loading} /></div>`;
  if (!loaded.data.node) return html`<${NotFound} what="project" />`;
  return html`<${EditProjectForm} project=${loaded.data.node} options=${options.data} focus=${query.get('field')} />`;
}

function describe(value, options) {
  if (!Array.isArray(value)) return value || '(empty)';
  const names = new Map([...options.themes, ...options.organisations.nodes].map((o) => [o.id, o.name]));
  return value.map((id) => names.get(id) ?? id).join(', ') || '(none)';
}

/** What someone typed that differs from the reloaded project, with a way to put each back. */
function KeptText({ kept, form, options }) {
  if (!kept.length) return null;
  return html`
    <section class="notice notice-info kept" aria-labelledby="kept-heading">
      <h2 id="kept-heading" tabindex="-1">What you typed, not saved</h2>
      <p>The form now shows the latest version. Put back what you still want, then save.</p>
      <dl>
        ${kept.map(([name, value]) => html`
          <div key=${name}>
            <dt>${LABELS[name]}</dt>
            <dd><span class="prose">${describe(value, options)}</span>
              <button type="button" class="button secondary small" onClick=${() => form.set(name, value)}>
                Put back<span class="visually-hidden"> your ${LABELS[name].toLowerCase()}</span></button></dd>
          </div>`)}
      </dl>
    </section>`;
}

function EditProjectForm({ project: loaded, options, focus }) {
  const [project, setProject] = useState(loaded);
  const [kept, setKept] = useState([]);
  const [reloads, setReloads] = useState(0);
  const form = useForm({
    draftKey: `edit:${loaded.id}`, initial: editValues(loaded), idPrefix: 'edit', required: PROJECT_REQUIRED,
    validate: (v) => checkDates({}, v, ['startedOn']),
  });
  const sharing = useForm({ initial: { visibility: loaded.visibility }, idPrefix: 'sharing' });
  useEffect(() => {
    if (focus && LABELS[focus]) document.getElementById(form.id(focus))?.focus();
  }, []);
  // After a reload, the focus goes to what was kept (or to the form), so it is announced.
  useEffect(() => {
    if (reloads) document.getElementById(kept.length ? 'kept-heading' : 'edit-heading')?.focus();
  }, [reloads]);

  async function reload() {
    const fresh = (await request(PROJECT_FOR_EDIT, { id: project.id })).node;
    const values = editValues(fresh);
    const before = editValues(project);
    const typed = form.values;
    // Keep what this person changed (not what the other person did), where it differs now.
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    setKept(Object.keys(values)
      .filter((n) => !same(typed[n], before[n]) && !same(typed[n], values[n]))
      .map((n) => [n, typed[n]]));
    setProject(fresh);
    form.reset(values);
    sharing.reset({ visibility: fresh.visibility });
    setReloads((n) => n + 1);
  }

  async function submit(event) {
    const payload = await form.submit(event, (v) => mutate(UPDATE, {
      input: {
        projectId: project.id, expectedVersion: project.version, title: v.title, summary: v.summary,
        problem: blank(v.problem), theoryOfChange: blank(v.theoryOfChange), innovationType: v.innovationType,
        themeIds: v.themeIds, partnerOrganisationIds: v.partnerOrganisationIds, startedOn: dateValue(v.startedOn) ?? project.startedOn,
      },
    }, 'updateProject'));
    if (payload) {
      flash('Project saved.');
      navigate(`/projects/${project.id}`);
    }
  }

  async function share(event) {
    const payload = await sharing.submit(event, (v) => mutate(SET_VISIBILITY, {
      input: { projectId: project.id, visibility: v.visibility, expectedVersion: project.version },
    }, 'setVisibility'));
    if (payload) {
      flash(`Now ${label(sharing.values.visibility).toLowerCase()}: ${VISIBILITY.find(([v]) => v === sharing.values.visibility)[2]}`);
      navigate(`/projects/${project.id}`);
    }
  }

  return html`
    <${Page} title=${`Edit: ${project.title}`} heading="Edit the project" back=${{ href: `/projects/${project.id}`, text: project.title }}>
      <h2 id="edit-heading" tabindex="-1" class="visually-hidden">Project details</h2>
      <${ConflictNotice} form=${form} onReload=${reload} />
      <${KeptText} kept=${kept} form=${form} options=${options} />
      <${Form} form=${form} onSubmit=${submit} submitText="Save changes" cancel=${`/projects/${project.id}`}>
        <${ProjectFields} form=${form} options=${options} leadId=${project.leadOrganisation.id} />
      <//>
      <section class="panel" aria-labelledby="sharing-heading">
        <h2 id="sharing-heading">Who can see it</h2>
        <${ConflictNotice} form=${sharing} onReload=${reload} />
        <${Form} form=${sharing} onSubmit=${share} submitText="Change who can see it">
          <${Radios} form=${sharing} name="visibility" legend="Visibility" options=${VISIBILITY} />
        <//>
      </section>
    <//>`;
}
