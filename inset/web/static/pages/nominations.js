// Nominating an innovation seen elsewhere, and the staff's list of nominations to act on.
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { mutate } from '../lib/graphql.js';
import { Form, useForm } from '../lib/forms.js';
import { TextArea, TextInput } from '../lib/fields.js';
import { date } from '../lib/format.js';
import { navigate, withQuery } from '../lib/router.js';
import { Badge, flash, Loading, Page, Problem, useQuery } from '../lib/ui.js';

const ERRORS = 'userErrors { field code message }';
const NOMINATE = `mutation Nominate($input: NominateInnovationInput!) { nominateInnovation(input: $input) { nomination { id } ${ERRORS} } }`;
const INVITE = `mutation Invite($input: InviteNominationInput!) { inviteNomination(input: $input) { nomination { id } ${ERRORS} } }`;
const ACCEPT = `mutation Accept($input: AcceptNominationInput!) { acceptNomination(input: $input) { project { id } ${ERRORS} } }`;
const DECLINE = `mutation Decline($input: DeclineNominationInput!) { declineNomination(input: $input) { nomination { id } ${ERRORS} } }`;

const NOMINATIONS = `
  query Nominations($status: [NominationStatus!], $after: String) {
    nominations(status: $status, first: 20, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id what where contact status declineReason createdAt decidedAt
        nominatedBy { name }
        organisation { name }
        project { id title }
      }
    }
    organisations(first: 100) { nodes { id name } }
  }`;

export function Nominate() {
  const form = useForm({
    draftKey: 'nomination',
    idPrefix: 'nomination',
    initial: { what: '', where: '', contact: '' },
  });
  async function submit(event) {
    const payload = await form.submit(event, (v, key) => mutate(NOMINATE, {
      input: { what: v.what, where: v.where, contact: v.contact || null, idempotencyKey: key },
    }, 'nominateInnovation'));
    if (payload) {
      flash('Thank you: your nomination was sent to the incubator. You will be told what they decide.');
      navigate('/nominations');
    }
  }
  return html`
    <${Page} title="Nominate an innovation" lead="Seen something working elsewhere that others should know of? Tell the incubator, and they may invite the organisation to join.">
      <${Form} form=${form} onSubmit=${submit} submitText="Send the nomination" cancel="/nominations">
        <${TextArea} form=${form} name="what" label="What is the innovation?" rows=${4}
          hint="A few sentences: what it does, for whom, and what you saw change. Nothing about a child or family." />
        <${TextInput} form=${form} name="where" label="Where did you see it?" hint="The organisation that runs it, e.g. Westhaven Council." />
        <${TextInput} form=${form} name="contact" label="Who should the incubator ask there? (optional)"
          hint="A role, e.g. Head of Fostering. No personal email addresses or phone numbers: the incubator finds the way in." />
      <//>
    <//>`;
}

function Decide({ nomination, organisations, onDone }) {
  const [mode, setMode] = useState(null);
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState(null);
  const id = nomination.id;
  async function run(query, input, name, message) {
    setProblem(null);
    try {
      const { userErrors } = await mutate(query, { input }, name);
      if (userErrors.length) {
        setProblem(userErrors[0].message);
        return;
      }
      onDone(message);
    } catch (error) {
      setProblem(error.message);
    }
  }
  const submit = (event) => {
    event.preventDefault();
    if (mode === 'accept') run(ACCEPT, { nominationId: id, organisationId: value }, 'acceptNomination', 'The nomination is now a project at the idea stage.');
    else run(DECLINE, { nominationId: id, reason: value }, 'declineNomination', 'The nomination was declined; the nominator is told why.');
  };
  return html`
    <div class="decide">
      ${mode === null && html`
        <div class="button-row">
          ${nomination.status === 'PENDING' && html`<button type="button" class="button secondary" onClick=${() => run(INVITE, { nominationId: id }, 'inviteNomination', 'Marked as invited.')}>Mark invited</button>`}
          <button type="button" class="button secondary" onClick=${() => setMode('accept')}>The organisation joined</button>
          <button type="button" class="button secondary" onClick=${() => setMode('decline')}>Decline</button>
        </div>`}
      ${mode && html`
        <form class="inline-form" onSubmit=${submit}>
          ${mode === 'accept'
            ? html`<label for=${`org-${id}`}>Which organisation joined?</label>
                <select id=${`org-${id}`} class="input select" value=${value} onChange=${(e) => setValue(e.currentTarget.value)}>
                  <option value="">Choose the organisation</option>
                  ${organisations.map((o) => html`<option key=${o.id} value=${o.id}>${o.name}</option>`)}
                </select>`
            : html`<label for=${`reason-${id}`}>Why decline? The nominator reads this.</label>
                <input id=${`reason-${id}`} class="input" value=${value} onInput=${(e) => setValue(e.currentTarget.value)} />`}
          <button type="submit" class="button">${mode === 'accept' ? 'Create its project' : 'Decline'}</button>
          <button type="button" class="link-button" onClick=${() => { setMode(null); setValue(''); }}>Cancel</button>
        </form>`}
      ${problem && html`<p class="field-error" role="alert">${problem}</p>`}
    </div>`;
}

const FILTERS = [['', 'All'], ['PENDING', 'Pending'], ['INVITED', 'Invited'], ['ACCEPTED', 'Accepted'], ['DECLINED', 'Declined']];

export function Nominations({ query, viewer }) {
  const staff = viewer?.role === 'STAFF';
  const status = query.get('status') || '';
  const { data, error, loading, reload } = useQuery(NOMINATIONS, { status: status ? [status] : null, after: query.get('after') });
  const list = data?.nominations;
  const [notice, setNotice] = useState(null);
  const decided = (message) => {
    setNotice(message);
    reload();
  };
  return html`
    <${Page} title=${staff ? 'Nominations' : 'Your nominations'}
      lead=${staff ? 'Innovations members have seen elsewhere: invite the organisation, and when it joins its project starts here.' : 'Innovations you nominated, and what the incubator decided.'}
      actions=${html`<a class="button" href="/nominate">Nominate an innovation</a>`}>
      <nav class="tabs" aria-label="Filter by status">
        <ul>${FILTERS.map(([value, text]) => html`
          <li key=${value}><a href=${withQuery('/nominations', { status: value })} aria-current=${status === value ? 'page' : undefined}>${text}</a></li>`)}</ul>
      </nav>
      ${loading && !data && html`<${Loading} />`}
      ${error && html`<${Problem} error=${error} retry=${reload} />`}
      <div role="status">${notice && html`<p class="notice notice-success">${notice}</p>`}</div>
      ${list && html`
        <p class="result-count">${list.totalCount === 1 ? '1 nomination' : `${list.totalCount} nominations`}</p>
        <ul class="records">
          ${list.nodes.map((n) => html`
            <li key=${n.id} class="record">
              <p class="badges"><${Badge} value=${n.status} kind="status" /></p>
              <p class="prose">${n.what}</p>
              <dl class="facts">
                <div><dt>Where</dt><dd>${n.where}</dd></div>
                ${n.contact && html`<div><dt>Who to ask</dt><dd>${n.contact}</dd></div>`}
                <div><dt>Nominated</dt><dd>${date(n.createdAt)}${staff && n.nominatedBy ? ` by ${n.nominatedBy.name}` : ''}</dd></div>
                ${n.declineReason && html`<div><dt>Why declined</dt><dd>${n.declineReason}</dd></div>`}
                ${n.project && html`<div><dt>Its project</dt><dd><a href=${`/projects/${n.project.id}`}>${n.project.title}</a></dd></div>`}
                ${!n.project && n.organisation && html`<div><dt>Joined as</dt><dd>${n.organisation.name}</dd></div>`}
              </dl>
              ${staff && ['PENDING', 'INVITED'].includes(n.status) && html`<${Decide} nomination=${n} organisations=${data.organisations.nodes} onDone=${decided} />`}
            </li>`)}
        </ul>
        ${list.pageInfo.hasNextPage && html`
          <nav class="pager" aria-label="Pages of nominations">
            <a href=${withQuery('/nominations', { status, after: list.pageInfo.endCursor })}>Next page</a>
          </nav>`}`}
    <//>`;
}

