// Recording evidence, costs, benefits and lessons on a project.
import { html } from '../lib/html.js';
import { mutate } from '../lib/graphql.js';
import { Form, useForm } from '../lib/forms.js';
import { blank, Checkbox, Checkboxes, checkDates, DateInput, dateValue, Radios, Select, TextArea, TextInput } from '../lib/fields.js';
import { BARRIERS, CONFIDENCE, EVIDENCE_LEVELS, label, parseDate, parseMoney, STAGES } from '../lib/format.js';
import { flash } from '../lib/ui.js';
import { navigate } from '../lib/router.js';
import { ProjectFormPage } from '../lib/project-form-page.js';

const EVIDENCE_KINDS = ['DESCRIPTION', 'MONITORING_DATA', 'SURVEY', 'COMPARISON_STUDY', 'RANDOMISED_TRIAL',
  'EVALUATION_REPORT', 'CASE_STUDY', 'FEEDBACK'];
const COST_CATEGORIES = ['STAFF', 'TECHNOLOGY', 'COMMISSIONING', 'TRAINING', 'EVALUATION', 'PREMISES', 'OTHER'];
const LESSON_KINDS = [
  ['WHAT_WORKED', 'What worked'], ['WHAT_DID_NOT_WORK', 'What did not work'], ['BARRIER', 'A barrier'],
  ['ENABLER', 'An enabler'], ['RECOMMENDATION', 'A recommendation'],
];
const CONFIDENCE_OPTIONS = Object.entries(CONFIDENCE);
const ERRORS = 'userErrors { field code message }';

const RECORD_EVIDENCE = `mutation RecordEvidence($input: RecordEvidenceInput!) { recordEvidence(input: $input) { evidence { id } project { evidenceLevel } ${ERRORS} } }`;
const RECORD_COST = `mutation RecordCost($input: RecordCostInput!) { recordCost(input: $input) { cost { id } ${ERRORS} } }`;
const RECORD_BENEFIT = `mutation RecordBenefit($input: RecordBenefitInput!) { recordBenefit(input: $input) { benefit { id } ${ERRORS} } }`;
const RECORD_LESSON = `mutation RecordLesson($input: RecordLessonInput!) { recordLesson(input: $input) { lesson { id } ${ERRORS} } }`;

function done(project, message, anchor) {
  flash(message);
  navigate(`/projects/${project.id}${anchor ? `#${anchor}` : ''}`);
}

const MONEY_HINT = 'In pounds and pence, for example 12500 or 12500.50.';

function checkMoney(found, v, name, required) {
  if (!v[name].trim()) {
    if (required) found[name] = 'Enter the amount';
  } else if (parseMoney(v[name]) === null) {
    found[name] = 'Enter the amount in pounds and pence, like 12500 or 12500.50, with no minus sign';
  }
}

function checkPeriod(found, v) {
  checkDates(found, v, ['periodStart', 'periodEnd']);
  const [start, end] = [parseDate(v.periodStart), parseDate(v.periodEnd)];
  if (start && end && end < start) found.periodEnd = 'The end must be on or after the start';
}

/* Evidence ----------------------------------------------------------------------------- */

function EvidenceForm({ project }) {
  const form = useForm({
    draftKey: `evidence:${project.id}`,
    initial: { kind: '', title: '', summary: '', level: '', independent: false, reference: '' },
    validate: (v) => {
      const found = {};
      if (!v.kind) found.kind = 'Choose what kind of evidence this is';
      if (!v.level) found.level = 'Choose the level this evidence supports';
      return found;
    },
  });
  async function submit(event) {
    const payload = await form.submit(event, (v, key) => mutate(RECORD_EVIDENCE, {
      input: {
        projectId: project.id, kind: v.kind, title: v.title, summary: v.summary, level: Number(v.level),
        independent: v.independent, reference: blank(v.reference), idempotencyKey: key,
      },
    }, 'recordEvidence'));
    if (payload) done(project, `Evidence recorded. The project's evidence level is now ${payload.project.evidenceLevel}.`, 'evidence');
  }
  return html`
    <${Form} form=${form} onSubmit=${submit} submitText="Record evidence" cancel=${`/projects/${project.id}`}>
      <${Select} form=${form} name="kind" label="Kind of evidence" placeholder="Choose a kind"
        options=${EVIDENCE_KINDS.map((k) => [k, label(k)])} />
      <${TextInput} form=${form} name="title" label="Title" />
      <${TextArea} form=${form} name="summary" label="Summary" hint="What it shows, and how it was gathered. Aggregate figures only: nothing about a child or family." />
      <${Radios} form=${form} name="level" legend="Level on the Nesta Standards of Evidence"
        hint="The level this evidence supports. The project's level is worked out from all its evidence."
        options=${Object.entries(EVIDENCE_LEVELS)} />
      <${Checkbox} form=${form} name="independent" label="Produced by someone independent of the project, such as an external evaluator" />
      <${TextInput} form=${form} name="reference" label="Reference (optional)" hint="Where to read it: a report's address or a citation." />
    <//>`;
}

export function RecordEvidence(props) {
  return html`<${ProjectFormPage} ...${props} title="Record evidence" render=${(p) => html`<${EvidenceForm} project=${p} />`} />`;
}

/* Costs -------------------------------------------------------------------------------- */

function CostForm({ project }) {
  const form = useForm({
    draftKey: `cost:${project.id}`,
    initial: { category: '', description: '', amount: '', recurring: false, periodStart: '', periodEnd: '', fundingSource: '', confidence: '' },
    validate: (v) => {
      const found = {};
      if (!v.category) found.category = 'Choose a category';
      checkMoney(found, v, 'amount', true);
      if (!v.confidence) found.confidence = 'Choose how sure you are of the figure';
      checkPeriod(found, v);
      return found;
    },
  });
  async function submit(event) {
    const payload = await form.submit(event, (v, key) => mutate(RECORD_COST, {
      input: {
        projectId: project.id, category: v.category, description: v.description,
        amount: { amount: parseMoney(v.amount), currency: 'GBP' }, recurring: v.recurring,
        periodStart: dateValue(v.periodStart), periodEnd: dateValue(v.periodEnd), fundingSource: blank(v.fundingSource),
        confidence: Number(v.confidence), idempotencyKey: key,
      },
    }, 'recordCost'));
    if (payload) done(project, 'Cost recorded.', 'money');
  }
  return html`
    <${Form} form=${form} onSubmit=${submit} submitText="Record cost" cancel=${`/projects/${project.id}`}>
      <${Select} form=${form} name="category" label="Category" placeholder="Choose a category"
        options=${COST_CATEGORIES.map((c) => [c, label(c)])} />
      <${TextInput} form=${form} name="description" label="Description" hint="For example: two family workers for six months." />
      <${TextInput} form=${form} name="amount" label="Amount" prefix="£" inputmode="decimal" width="10"
        hint=${`The total over the period, not a rate. ${MONEY_HINT}`} />
      <${Checkbox} form=${form} name="recurring" label="This cost recurs each year (the figures still count the amount once)" />
      <div class="field-row">
        <${DateInput} form=${form} name="periodStart" label="Period start (optional)" />
        <${DateInput} form=${form} name="periodEnd" label="Period end (optional)" />
      </div>
      <${TextInput} form=${form} name="fundingSource" label="Funded by (optional)" />
      <${Select} form=${form} name="confidence" label="Confidence grade" placeholder="Choose a grade"
        hint="How sure you are of the figure. Less sure figures are raised by optimism bias."
        options=${CONFIDENCE_OPTIONS} />
    <//>`;
}

export function RecordCost(props) {
  return html`<${ProjectFormPage} ...${props} title="Record a cost" render=${(p) => html`<${CostForm} project=${p} />`} />`;
}

/* Benefits ----------------------------------------------------------------------------- */

const BENEFIT_KINDS = [
  ['FISCAL', 'Fiscal', 'A cashable saving to a public body, such as fewer placements paid for.'],
  ['ECONOMIC', 'Economic', 'A gain to the economy, such as more young people in work.'],
  ['SOCIAL', 'Social', 'A gain to wellbeing, such as a safer, more stable childhood.'],
];

function share(text) {
  const cleaned = String(text).replace(/[%\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned) || Number(cleaned) > 100) return null;
  return Number((Number(cleaned) / 100).toFixed(4));
}

function BenefitForm({ project }) {
  const form = useForm({
    draftKey: `benefit:${project.id}`,
    initial: { kind: 'FISCAL', description: '', amount: '', beneficiary: '', periodStart: '', periodEnd: '', deadweight: '0', attribution: '100', confidence: '' },
    validate: (v) => {
      const found = {};
      checkMoney(found, v, 'amount', false);
      if (share(v.deadweight) === null) found.deadweight = 'Enter a percentage from 0 to 100';
      if (share(v.attribution) === null) found.attribution = 'Enter a percentage from 0 to 100';
      if (!v.confidence) found.confidence = 'Choose how sure you are of the figure';
      checkPeriod(found, v);
      return found;
    },
  });
  async function submit(event) {
    const payload = await form.submit(event, (v, key) => mutate(RECORD_BENEFIT, {
      input: {
        projectId: project.id, kind: v.kind, description: v.description,
        amount: v.amount.trim() ? { amount: parseMoney(v.amount), currency: 'GBP' } : null,
        beneficiary: blank(v.beneficiary), periodStart: dateValue(v.periodStart), periodEnd: dateValue(v.periodEnd),
        deadweight: share(v.deadweight), attribution: share(v.attribution), confidence: Number(v.confidence),
        idempotencyKey: key,
      },
    }, 'recordBenefit'));
    if (payload) done(project, 'Benefit recorded.', 'money');
  }
  return html`
    <${Form} form=${form} onSubmit=${submit} submitText="Record benefit" cancel=${`/projects/${project.id}`}>
      <${Radios} form=${form} name="kind" legend="Kind of benefit" options=${BENEFIT_KINDS} />
      <${TextInput} form=${form} name="description" label="Description" hint="For example: fewer nights in residential care." />
      <${TextInput} form=${form} name="amount" label="Amount (optional until you can put it in money)" prefix="£" inputmode="decimal" width="10"
        hint=${`The total over the period. ${MONEY_HINT}`} />
      <${TextInput} form=${form} name="beneficiary" label="Who gains" hint="The public body that saves the money. Needed for a fiscal benefit." />
      <div class="field-row">
        <${DateInput} form=${form} name="periodStart" label="Period start (optional)" />
        <${DateInput} form=${form} name="periodEnd" label="Period end (optional)" />
      </div>
      <div class="field-row">
        <${TextInput} form=${form} name="deadweight" label="Deadweight" suffix="%" inputmode="decimal" width="5"
          hint="The share that would have happened anyway." />
        <${TextInput} form=${form} name="attribution" label="Attribution" suffix="%" inputmode="decimal" width="5"
          hint="Of the rest, the share this project caused." />
      </div>
      <${Select} form=${form} name="confidence" label="Confidence grade" placeholder="Choose a grade"
        hint="How sure you are of the figure. Less sure benefits are lowered by optimism bias." options=${CONFIDENCE_OPTIONS} />
    <//>`;
}

export function RecordBenefit(props) {
  return html`<${ProjectFormPage} ...${props} title="Record a benefit" render=${(p) => html`<${BenefitForm} project=${p} />`} />`;
}

/* Lessons ------------------------------------------------------------------------------ */

export const LESSON_HINT = 'What was meant to happen, what happened, why, and what to do next time. Nothing about a child or family.';

/** The lesson fields, also used inside the gate decision form (names prefixed there: "lesson.title"). */
export function LessonFields({ form, prefix = '' }) {
  return html`
    <${Radios} form=${form} name=${`${prefix}kind`} legend="Kind of lesson" options=${LESSON_KINDS} />
    <${TextInput} form=${form} name=${`${prefix}title`} label="Lesson title" hint="One line others can scan in the library." />
    <${TextArea} form=${form} name=${`${prefix}body`} label="What you learned" hint=${LESSON_HINT} rows="7" />
    <${Checkboxes} form=${form} name=${`${prefix}barriers`} legend="Barriers met (optional)" columns
      options=${BARRIERS.map((b) => [b, b.charAt(0).toUpperCase() + b.slice(1)])} />
    <${Checkbox} form=${form} name=${`${prefix}anonymised`}
      label="Anonymise it: readers other than staff and the project's organisations see only the kind of organisation and the region"
      hint="Then it may not name the project, its organisations or its people." />`;
}

function LessonForm({ project }) {
  const reached = STAGES.slice(0, STAGES.indexOf(project.stage) + 1);
  const form = useForm({
    draftKey: `lesson:${project.id}`,
    initial: { kind: 'WHAT_DID_NOT_WORK', title: '', body: '', barriers: [], anonymised: false, stage: project.stage, visibility: '' },
  });
  async function submit(event) {
    const payload = await form.submit(event, (v, key) => mutate(RECORD_LESSON, {
      input: {
        projectId: project.id, kind: v.kind, title: v.title, body: v.body, barriers: v.barriers,
        anonymised: v.anonymised, stage: v.stage, visibility: blank(v.visibility), idempotencyKey: key,
      },
    }, 'recordLesson'));
    if (payload) done(project, 'Lesson recorded. Thank you: others will learn from it.', 'lessons');
  }
  return html`
    <${Form} form=${form} onSubmit=${submit} submitText="Record lesson" cancel=${`/projects/${project.id}`}>
      <${LessonFields} form=${form} />
      <${Select} form=${form} name="stage" label="Stage it came from" options=${reached.map((s) => [s, label(s)])} />
      <${Radios} form=${form} name="visibility" legend="Share it more widely than the project?"
        options=${[['', 'No: as widely as the project'], ['MEMBERS', 'Every member of Inset'], ['PUBLIC', 'Everyone, in the public library']]} />
    <//>`;
}

export function RecordLesson(props) {
  return html`<${ProjectFormPage} ...${props} title="Record a lesson" render=${(p) => html`<${LessonForm} project=${p} />`} />`;
}
