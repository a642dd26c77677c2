// Defining an outcome (what the project wants to move) and adding dated observations to it.
import { html } from '../lib/html.js';
import { mutate } from '../lib/graphql.js';
import { Form, useForm } from '../lib/forms.js';
import { blank, checkDates, DateInput, dateValue, Radios, TextArea, TextInput } from '../lib/fields.js';
import { date, measure, parseDate, parseDecimal, shortDate, today } from '../lib/format.js';
import { flash } from '../lib/ui.js';
import { navigate } from '../lib/router.js';
import { ProjectFormPage } from '../lib/project-form-page.js';

const ERRORS = 'userErrors { field code message }';
const DEFINE = `mutation DefineOutcome($input: DefineOutcomeInput!) { defineOutcome(input: $input) { outcome { id } ${ERRORS} } }`;
const OBSERVE = `mutation ObserveOutcome($input: ObserveOutcomeInput!) { observeOutcome(input: $input) { outcome { id latest } ${ERRORS} } }`;
const NUMBER = 'Enter a number, like 45 or 78.5';
const AGGREGATE = 'Aggregate figures only, never a record about a child.';

function checkNumber(found, v, name, required) {
  if (!String(v[name]).trim()) {
    if (required) found[name] = 'Enter the figure';
  } else if (parseDecimal(v[name]) === null) {
    found[name] = NUMBER;
  }
}

function DefineForm({ project }) {
  const form = useForm({
    draftKey: `outcome:${project.id}`,
    required: { name: 'Enter the name of the outcome', unit: 'Enter the unit it is measured in, like children or %' },
    initial: { name: '', unit: '', higherIsBetter: 'false', baseline: '', baselineOn: '', target: '' },
    validate: (v) => {
      const found = {};
      checkNumber(found, v, 'baseline', false);
      checkNumber(found, v, 'target', false);
      checkDates(found, v, ['baselineOn']);
      if (parseDate(v.baselineOn) > today()) found.baselineOn = 'The baseline date cannot be in the future';
      return found;
    },
  });
  async function submit(event) {
    const payload = await form.submit(event, (v, key) => mutate(DEFINE, {
      input: {
        projectId: project.id, name: v.name, unit: v.unit, higherIsBetter: v.higherIsBetter === 'true',
        baseline: blank(v.baseline) && parseDecimal(v.baseline), baselineOn: dateValue(v.baselineOn),
        target: blank(v.target) && parseDecimal(v.target), idempotencyKey: key,
      },
    }, 'defineOutcome'));
    if (payload) {
      flash('Outcome defined. Add observations as you measure it.');
      navigate(`/projects/${project.id}#outcomes`);
    }
  }
  return html`
    <${Form} form=${form} onSubmit=${submit} submitText="Define outcome" cancel=${`/projects/${project.id}`}>
      <${TextInput} form=${form} name="name" label="What you want to change" hint="For example: children missing from home in a month." />
      <${TextInput} form=${form} name="unit" label="Unit" width="10" hint='What is counted: "children", "%", "days".' />
      <${Radios} form=${form} name="higherIsBetter" legend="Which way is better?" inline
        options=${[['false', 'Lower is better'], ['true', 'Higher is better']]} />
      <div class="field-row">
        <${TextInput} form=${form} name="baseline" label="Baseline figure" inputmode="decimal" width="10" hint=${`Where it stands before the project. ${AGGREGATE}`} />
        <${DateInput} form=${form} name="baselineOn" label="Baseline measured on" />
      </div>
      <${TextInput} form=${form} name="target" label="Target (optional)" inputmode="decimal" width="10" />
    <//>`;
}

export function DefineOutcome(props) {
  return html`<${ProjectFormPage} ...${props} title="Define an outcome" render=${(p) => html`<${DefineForm} project=${p} />`} />`;
}

function ObserveForm({ project, outcome }) {
  const form = useForm({
    draftKey: `observe:${outcome.id}`,
    initial: { value: '', observedOn: shortDate(today()), note: '' },
    validate: (v) => {
      const found = {};
      checkNumber(found, v, 'value', true);
      if (!v.observedOn.trim()) found.observedOn = 'Enter the date of the figure';
      else if (!checkDates(found, v, ['observedOn']).observedOn && parseDate(v.observedOn) > today()) {
        found.observedOn = 'The date cannot be in the future';
      }
      return found;
    },
  });
  async function submit(event) {
    const payload = await form.submit(event, (v, key) => mutate(OBSERVE, {
      input: { outcomeId: outcome.id, value: parseDecimal(v.value), observedOn: dateValue(v.observedOn), note: blank(v.note), idempotencyKey: key },
    }, 'observeOutcome'));
    if (payload) {
      flash(`Observation added to ${outcome.name}.`);
      navigate(`/projects/${project.id}#outcomes`);
    }
  }
  return html`
    <p>Baseline: ${outcome.baseline !== null ? measure(outcome.baseline, outcome.unit) : 'none'}${outcome.baselineOn ? ` on ${date(outcome.baselineOn)}` : ''}.${' '}
      ${outcome.observations.length} observation${outcome.observations.length === 1 ? '' : 's'} so far.</p>
    <${Form} form=${form} onSubmit=${submit} submitText="Add observation" cancel=${`/projects/${project.id}#outcomes`}>
      <${TextInput} form=${form} name="value" label=${`Figure (${outcome.unit})`} inputmode="decimal" width="10" hint=${AGGREGATE} />
      <${DateInput} form=${form} name="observedOn" label="Measured on" hint="Not before the baseline date." />
      <${TextArea} form=${form} name="note" label="Note (optional)" rows="2" />
    <//>`;
}

export function ObserveOutcome(props) {
  return html`
    <${ProjectFormPage} ...${props} title="Add an observation" render=${(project) => {
      const outcome = project.outcomes.find((o) => o.id === props.params.outcomeId);
      if (!outcome) return html`<p>This project has no such outcome. <a href=${`/projects/${project.id}#outcomes`}>See its outcomes</a>.</p>`;
      return html`<h2>${outcome.name}</h2><${ObserveForm} project=${project} outcome=${outcome} />`;
    }} />`;
}
