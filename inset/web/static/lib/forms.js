// Forms: errors shown next to the field they belong to (from userErrors), a summary at the
// top, nothing typed lost (on an error, nor on leaving the page: drafts stay in this tab).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { sortUserErrors } from './graphql.js';
import { parseDate, sentence } from './format.js';

const DRAFTS = 'inset:draft:';

function loadDraft(key) {
  if (!key) return null;
  try {
    return JSON.parse(window.sessionStorage.getItem(DRAFTS + key));
  } catch {
    return null;
  }
}

function saveDraft(key, values) {
  if (!key) return;
  try {
    window.sessionStorage.setItem(DRAFTS + key, JSON.stringify(values));
  } catch {
    // A full or disabled storage only loses the draft, never the form.
  }
}

/** Forgets every draft: on signing out, so that the next person on this computer sees none. */
export function forgetDrafts() {
  for (const key of Object.keys(window.sessionStorage)) {
    if (key.startsWith(DRAFTS)) window.sessionStorage.removeItem(key);
  }
}

function newKey() {
  return window.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * A form's state. `initial` names every field (nested inputs flattened: "lesson.title");
 * `draftKey` keeps what is typed in this tab until it is saved; `validate(values)` returns
 * { field: message } for what must be checked before asking the server (numbers, choices).
 */
export function useForm({ initial, draftKey, validate, idPrefix = 'field' }) {
  const [values, setValues] = useState(() => {
    const draft = loadDraft(draftKey);
    return draft ? { ...initial, ...draft } : initial;
  });
  const [restored, setRestored] = useState(() => Boolean(loadDraft(draftKey)));
  const [errors, setErrors] = useState({});
  const [other, setOther] = useState([]);
  const [conflict, setConflict] = useState(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const last = useRef({ values: null, key: null });

  const form = {
    values, errors, other, conflict, busy, attempt, restored,
    id: (name) => `${idPrefix}-${name.replace(/\./g, '-')}`,
    value: (name) => values[name],
    error: (name) => errors[name],
    set(name, value) {
      setValues((before) => {
        const after = { ...before, [name]: value };
        saveDraft(draftKey, after);
        return after;
      });
    },
    /** Replaces every value (after a reload) and forgets the draft. */
    reset(next) {
      setValues(next);
      setErrors({});
      setOther([]);
      setConflict(null);
      setRestored(false);
      if (draftKey) window.sessionStorage.removeItem(DRAFTS + draftKey);
    },
    /** After a reload that follows a conflict: the typed values stay, the warning goes. */
    clearConflict() {
      setConflict(null);
    },
    discardDraft() {
      form.reset(initial);
    },
    /**
     * Runs `run(values, idempotencyKey)`, which resolves to a mutation's
     * { payload, userErrors }. Resolves to the payload, or null when anything was wrong
     * (then the errors are shown and every value stays as typed).
     */
    async submit(event, run) {
      event?.preventDefault();
      if (busy) return null;
      const found = validate ? validate(values) : {};
      if (Object.keys(found).length) {
        setErrors(found);
        setOther([]);
        setAttempt((n) => n + 1);
        return null;
      }
      // The same values again (a retry after a lost answer) reuse the key, so nothing is
      // recorded twice; changed values are a new request.
      const snapshot = JSON.stringify(values);
      if (last.current.values !== snapshot) last.current = { values: snapshot, key: newKey() };
      setBusy(true);
      setConflict(null);
      try {
        const { payload, userErrors } = await run(values, last.current.key);
        const sorted = sortUserErrors(userErrors, Object.keys(values));
        if (sorted.conflict) {
          setConflict(sorted.conflict);
          setErrors({});
          setOther([]);
          setAttempt((n) => n + 1);
          return null;
        }
        if (Object.keys(sorted.fields).length || sorted.other.length) {
          setErrors(sorted.fields);
          setOther(sorted.other);
          setAttempt((n) => n + 1);
          return null;
        }
        if (draftKey) window.sessionStorage.removeItem(DRAFTS + draftKey);
        setErrors({});
        setOther([]);
        last.current = { values: null, key: null };
        return payload;
      } catch (error) {
        setErrors({});
        setOther([{ message: error.message, requestId: error.requestId }]);
        setAttempt((n) => n + 1);
        return null;
      } finally {
        setBusy(false);
      }
    },
  };
  return form;
}

/**
 * "There is a problem", linking to each field in error; takes the focus after a failed submit.
 * `context` names what a field belongs to where its message alone would be unclear
 * ({ "lesson.title": "The lesson" } -> "The lesson: title is required.").
 */
export function ErrorSummary({ form, context = {} }) {
  const ref = useRef(null);
  const fieldErrors = Object.entries(form.errors);
  const any = fieldErrors.length || form.other.length;
  useEffect(() => {
    if (form.attempt && any && ref.current) ref.current.focus();
  }, [form.attempt]);
  if (!any) return null;
  const jump = (name) => (event) => {
    event.preventDefault();
    const target = document.getElementById(form.id(name));
    target?.focus();
    target?.scrollIntoView({ block: 'center' });
  };
  return html`
    <div class="error-summary" role="alert" tabindex="-1" ref=${ref} aria-labelledby=${`${form.id('summary')}-title`}>
      <h2 id=${`${form.id('summary')}-title`}>There is a problem</h2>
      <ul>
        ${fieldErrors.map(([name, message]) => html`
          <li key=${name}><a href=${`#${form.id(name)}`} onClick=${jump(name)}>
            ${sentence(context[name] ? `${context[name]}: ${message}` : message)}</a></li>`)}
        ${form.other.map((error, i) => html`
          <li key=${`other-${i}`}>${sentence(error.message)}
            ${error.requestId && html` <span class="small">(reference <code>${error.requestId}</code>)</span>`}</li>`)}
      </ul>
    </div>`;
}

/** Someone else changed the record meanwhile: say so, keep the typed text, offer a reload. */
export function ConflictNotice({ form, what = 'this project', onReload, reloadText = 'Reload the latest version' }) {
  const ref = useRef(null);
  useEffect(() => {
    if (form.conflict && ref.current) ref.current.focus();
  }, [form.attempt]);
  if (!form.conflict) return null;
  return html`
    <div class="notice notice-warning conflict" role="alert" tabindex="-1" ref=${ref}>
      <h2>Someone else changed ${what} while you were working on it</h2>
      <p>Nothing was saved, so their changes are not overwritten. What you typed is still here.
        Reload to see their version; anything you typed that differs will be kept beside the form
        for you to copy back.</p>
      <button type="button" class="button" onClick=${onReload}>${reloadText}</button>
    </div>`;
}

function DraftNotice({ form }) {
  if (!form.restored) return null;
  return html`
    <div class="notice notice-info">
      <p>This form still holds what you typed here earlier, not yet saved.${' '}
        <button type="button" class="link-button" onClick=${() => form.discardDraft()}>Clear it and start again</button></p>
    </div>`;
}

/** A whole form: the summary, the fields, the buttons. */
export function Form({ form, onSubmit, submitText = 'Save', cancel, context, children, className = '' }) {
  return html`
    <form class=${`form ${className}`} novalidate onSubmit=${onSubmit}>
      <${DraftNotice} form=${form} />
      <${ErrorSummary} form=${form} context=${context} />
      ${children}
      <div class="form-actions">
        <button type="submit" class="button" aria-disabled=${form.busy ? 'true' : 'false'}>
          ${form.busy ? 'Saving…' : submitText}
        </button>
        ${cancel && html`<a class="cancel" href=${cancel}>Cancel</a>`}
      </div>
    </form>`;
}

function described(form, name, hint) {
  const ids = [];
  if (hint) ids.push(`${form.id(name)}-hint`);
  if (form.error(name)) ids.push(`${form.id(name)}-error`);
  return ids.join(' ') || undefined;
}

function Message({ form, name, hint }) {
  return html`
    ${hint && html`<p class="hint" id=${`${form.id(name)}-hint`}>${hint}</p>`}
    ${form.error(name) && html`
      <p class="field-error" id=${`${form.id(name)}-error`}>
        <span class="visually-hidden">Error: </span>${sentence(form.error(name))}</p>`}`;
}

export function TextInput({ form, name, label, hint, type = 'text', prefix, suffix, width, ...rest }) {
  const input = html`
    <input id=${form.id(name)} name=${name} type=${type} class=${width ? `input width-${width}` : 'input'}
      value=${form.value(name) ?? ''} onInput=${(e) => form.set(name, e.currentTarget.value)}
      aria-invalid=${form.error(name) ? 'true' : undefined} aria-describedby=${described(form, name, hint)}
      ...${rest} />`;
  return html`
    <div class=${form.error(name) ? 'field has-error' : 'field'}>
      <label for=${form.id(name)}>${label}</label>
      <${Message} form=${form} name=${name} hint=${hint} />
      ${prefix || suffix
        ? html`<div class="affix">${prefix && html`<span class="prefix" aria-hidden="true">${prefix}</span>`}${input}${suffix && html`<span class="suffix" aria-hidden="true">${suffix}</span>`}</div>`
        : input}
    </div>`;
}

export function TextArea({ form, name, label, hint, rows = 5, ...rest }) {
  return html`
    <div class=${form.error(name) ? 'field has-error' : 'field'}>
      <label for=${form.id(name)}>${label}</label>
      <${Message} form=${form} name=${name} hint=${hint} />
      <textarea id=${form.id(name)} name=${name} rows=${rows} class="input"
        value=${form.value(name) ?? ''} onInput=${(e) => form.set(name, e.currentTarget.value)}
        aria-invalid=${form.error(name) ? 'true' : undefined} aria-describedby=${described(form, name, hint)}
        ...${rest}></textarea>
    </div>`;
}

/** options: [[value, text], ...]; `placeholder` adds an empty first choice. */
export function Select({ form, name, label, hint, options, placeholder }) {
  return html`
    <div class=${form.error(name) ? 'field has-error' : 'field'}>
      <label for=${form.id(name)}>${label}</label>
      <${Message} form=${form} name=${name} hint=${hint} />
      <select id=${form.id(name)} name=${name} class="input select" value=${form.value(name) ?? ''}
        onChange=${(e) => form.set(name, e.currentTarget.value)}
        aria-invalid=${form.error(name) ? 'true' : undefined} aria-describedby=${described(form, name, hint)}>
        ${placeholder && html`<option value="">${placeholder}</option>`}
        ${options.map(([value, text]) => html`<option key=${value} value=${value}>${text}</option>`)}
      </select>
    </div>`;
}

/** One choice of several. options: [[value, text, hint?], ...]. */
export function Radios({ form, name, legend, hint, options, inline }) {
  return html`
    <fieldset class=${form.error(name) ? 'field has-error' : 'field'} aria-describedby=${described(form, name, hint)}>
      <legend>${legend}</legend>
      <${Message} form=${form} name=${name} hint=${hint} />
      <div class=${inline ? 'choices inline' : 'choices'}>
        ${options.map(([value, text, help], i) => {
          const id = i === 0 ? form.id(name) : `${form.id(name)}-${value}`;
          return html`
            <div class="choice" key=${value}>
              <input type="radio" id=${id} name=${form.id(name)} value=${value}
                checked=${form.value(name) === value} onChange=${() => form.set(name, value)}
                aria-describedby=${help ? `${id}-help` : undefined} />
              <label for=${id}>${text}</label>
              ${help && html`<p class="hint choice-hint" id=${`${id}-help`}>${help}</p>`}
            </div>`;
        })}
      </div>
    </fieldset>`;
}

/** Several choices; the value is the list of chosen values. */
export function Checkboxes({ form, name, legend, hint, options, columns }) {
  const chosen = new Set(form.value(name) ?? []);
  const toggle = (value) => {
    const next = new Set(chosen);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    form.set(name, options.map(([v]) => v).filter((v) => next.has(v)));
  };
  return html`
    <fieldset class=${form.error(name) ? 'field has-error' : 'field'} aria-describedby=${described(form, name, hint)}>
      <legend>${legend}</legend>
      <${Message} form=${form} name=${name} hint=${hint} />
      <div class=${columns ? 'choices columns' : 'choices'}>
        ${options.map(([value, text], i) => {
          const id = i === 0 ? form.id(name) : `${form.id(name)}-${i}`;
          return html`
            <div class="choice" key=${value}>
              <input type="checkbox" id=${id} value=${value} checked=${chosen.has(value)} onChange=${() => toggle(value)} />
              <label for=${id}>${text}</label>
            </div>`;
        })}
      </div>
    </fieldset>`;
}

/** A single yes/no. */
export function Checkbox({ form, name, label, hint }) {
  return html`
    <div class=${form.error(name) ? 'field has-error' : 'field'}>
      <${Message} form=${form} name=${name} hint=${hint} />
      <div class="choice">
        <input type="checkbox" id=${form.id(name)} checked=${Boolean(form.value(name))}
          onChange=${(e) => form.set(name, e.currentTarget.checked)}
          aria-describedby=${described(form, name, hint)} />
        <label for=${form.id(name)}>${label}</label>
      </div>
    </div>`;
}

/**
 * A date, typed the UK way: a text box, so that it reads 27/11/2026 whatever the browser's
 * language (a date picker shows the browser's own order). The value stays as typed; the
 * form turns it into the API's form with `dateValue` when it is sent.
 */
export function DateInput({ form, name, label, hint }) {
  const full = hint ? `${hint} For example, ${EXAMPLE_DATE}.` : `For example, ${EXAMPLE_DATE}.`;
  return html`<${TextInput} form=${form} name=${name} label=${label} hint=${full} inputmode="numeric"
    autocomplete="off" width="10" />`;
}

const EXAMPLE_DATE = '27/11/2026';

/** Adds an error for each date field that holds something that is not a real date. */
export function checkDates(found, values, names) {
  for (const name of names) {
    if (String(values[name] ?? '').trim() && !parseDate(values[name])) {
      found[name] = `Enter a real date, like ${EXAMPLE_DATE}`;
    }
  }
  return found;
}

/** The API's form of a typed date ("2026-11-27"), or null when the field is empty. */
export function dateValue(text) {
  return String(text ?? '').trim() ? parseDate(text) : null;
}

/** null for "", so that optional fields left empty are left out. */
export function blank(value) {
  const text = typeof value === 'string' ? value.trim() : value;
  return text === '' || text === undefined ? null : text;
}
