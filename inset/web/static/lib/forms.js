// Forms: errors shown next to the field they belong to (from userErrors), a summary at the
// top, nothing typed lost (on an error, nor on leaving the page: drafts stay in this tab).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { sortUserErrors } from './graphql.js';
import { sentence } from './format.js';

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

/** Whether a field was left empty (blank text, no choice, an empty list). */
function empty(value) {
  if (Array.isArray(value)) return value.length === 0;
  return value === null || value === undefined || String(value).trim() === '';
}

/**
 * Every problem the form can see at once: the required fields left empty (`required`:
 * { field: "Enter a title" }) and what `validate` finds, so that nobody corrects one
 * error only to be shown the next.
 */
function problems(values, required, validate) {
  const found = {};
  for (const [name, message] of Object.entries(required ?? {})) if (empty(values[name])) found[name] = message;
  return { ...found, ...(validate ? validate(values) : {}) };
}

/**
 * A server's message as the GOV.UK design system words it: "title is required" becomes the
 * form's own "Enter a title", "title is longer than 200 characters" becomes "Title must be
 * 200 characters or fewer".
 */
export function reword(name, error, required) {
  if (error.code === 'REQUIRED' && required?.[name]) return required[name];
  const long = /^(.+?) is longer than ([\d,]+) characters$/.exec(error.message ?? '');
  if (error.code === 'TOO_LONG' && long) {
    // The API names fields in camelCase: "theoryOfChange" reads "theory of change".
    const what = long[1].replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
    return `${what.charAt(0).toUpperCase()}${what.slice(1)} must be ${long[2]} characters or fewer`;
  }
  return error.message;
}

/**
 * A form's state. `initial` names every field (nested inputs flattened: "lesson.title");
 * `draftKey` keeps what is typed in this tab until it is saved; `required` maps each field
 * that must not be left empty to its message ("Enter a title"); `validate(values)` returns
 * { field: message } for what else must be checked before asking the server (numbers,
 * choices). Both are checked together, so every error shows at once.
 */
export function useForm({ initial, draftKey, validate, required, idPrefix = 'field' }) {
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
      const found = problems(values, required, validate);
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
        for (const error of userErrors) {
          const name = Object.keys(sorted.fields).find((key) => sorted.fields[key] === error.message);
          if (name) sorted.fields[name] = reword(name, error, required);
        }
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
