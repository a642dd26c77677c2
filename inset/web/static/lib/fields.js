// Form fields: each with its label, hint and error, the error tied to it for screen readers.
import { html } from './html.js';
import { parseDate, sentence } from './format.js';

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
