// How Inset shows money, dates and the API's names to people (British English).

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

/** "12500.00" -> "£12,500.00"; "-40.5" -> "−£40.50". Worked on the string: never a float. */
export function money(value) {
  if (value === null || value === undefined) return '';
  const amount = typeof value === 'object' ? value.amount : value;
  const found = /^(-)?(\d+)(?:\.(\d*))?$/.exec(String(amount).trim());
  if (!found) return String(amount);
  const [, minus, whole, fraction = ''] = found;
  const pence = (fraction + '00').slice(0, 2);
  const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${minus ? '−' : ''}£${grouped}.${pence}`;
}

/** What someone typed as money ("£12,500", "12500.5") as the API's decimal, or null. */
export function parseMoney(text) {
  const cleaned = String(text ?? '').replace(/[£,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return cleaned;
}

/** A decimal number typed by someone ("1,200", "-3.25"), as the API wants it, or null. */
export function parseDecimal(text) {
  const cleaned = String(text ?? '').replace(/[,\s]/g, '');
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? cleaned : null;
}

function parts(value) {
  const found = /^(\d{4})-(\d{2})-(\d{2})/.exec(value ?? '');
  return found ? found.slice(1).map(Number) : null;
}

/** "2026-11-27" -> "27 November 2026". A DateTime is shown as its day in the UK. */
export function date(value) {
  if (!value) return '';
  const day = String(value).length > 10 ? londonDay(value) : parts(value);
  if (!day) return String(value);
  const [y, m, d] = day;
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "2026-11-27" -> "27/11/2026", for tables and chart axes. */
export function shortDate(value) {
  if (!value) return '';
  const day = String(value).length > 10 ? londonDay(value) : parts(value);
  if (!day) return String(value);
  const [y, m, d] = day;
  return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
}

function londonDay(timestamp) {
  const when = new Date(timestamp);
  if (Number.isNaN(when.getTime())) return null;
  const fields = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric',
  }).formatToParts(when);
  const get = (type) => Number(fields.find((f) => f.type === type).value);
  return [get('year'), get('month'), get('day')];
}

/** Days since a date, for charts: whole days from 1970-01-01 (UTC, so no clock shifts). */
export function dayNumber(value) {
  const day = parts(value);
  return day ? Date.UTC(day[0], day[1] - 1, day[2]) / 86400000 : null;
}

/**
 * A date typed the UK way ("27/11/2026", "27-11-2026", "27 11 2026"; or "2026-11-27") as
 * the API writes it, or null when it is not a real date.
 */
export function parseDate(text) {
  const typed = String(text ?? '').trim();
  let found = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$/.exec(typed);
  let [d, m, y] = found ? found.slice(1).map(Number) : [];
  if (!found) {
    found = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typed);
    if (!found) return null;
    [y, m, d] = found.slice(1).map(Number);
  }
  const when = new Date(Date.UTC(y, m - 1, d));
  if (when.getUTCFullYear() !== y || when.getUTCMonth() !== m - 1 || when.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Today as the API writes dates, in the UK. */
export function today() {
  const [y, m, d] = londonDay(new Date().toISOString());
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A figure with its unit: "78.5%" or "45 children". */
export function measure(value, unit) {
  if (value === null || value === undefined) return '';
  const number = String(value).replace(/\B(?=(\d{3})+(?!\d))(?=[^.]*$)/g, ',');
  if (!unit) return number;
  return unit.startsWith('%') ? `${number}${unit}` : `${number} ${unit}`;
}

/** 0.25 -> "25%" (shares are 0..1 in the API). */
export function percent(share) {
  if (share === null || share === undefined) return '';
  return `${Math.round(Number(share) * 10000) / 100}%`;
}

const WORDS = {
  ON_HOLD: 'On hold',
  GO: 'Go',
  WHAT_WORKED: 'What worked',
  WHAT_DID_NOT_WORK: 'What did not work',
  MEMBERS: 'Members',
  PRIVATE: 'Private',
  PUBLIC: 'Public',
};

/** An enum value in words: "LOCAL_AUTHORITY" -> "Local authority". */
export function label(value) {
  if (!value) return '';
  if (WORDS[value]) return WORDS[value];
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const STAGES = ['IDEA', 'PILOT', 'EVALUATION', 'SCALE'];
export const STATUSES = ['ACTIVE', 'ON_HOLD', 'STOPPED'];
export const ORGANISATION_KINDS = ['LOCAL_AUTHORITY', 'REGIONAL_ADOPTION_AGENCY', 'VOLUNTARY_ADOPTION_AGENCY',
  'INDEPENDENT_FOSTERING_AGENCY', 'CHARITY', 'PRIVATE_PARTNER', 'HEALTH', 'POLICE', 'EDUCATION', 'OTHER'];

export const EVIDENCE_LEVELS = {
  1: 'Level 1: an account of impact (a theory of change)',
  2: 'Level 2: correlation (data showing change, before and after)',
  3: 'Level 3: causation (a comparison or control group)',
  4: 'Level 4: independent replication (an independent evaluation, with costs)',
  5: 'Level 5: scaled (run by others, elsewhere, with manuals for fidelity)',
};

export const CONFIDENCE = {
  1: '1: audited, local data',
  2: '2: local data, not audited',
  3: '3: older or partial local data',
  4: '4: national data or research',
  5: '5: an estimate from data elsewhere',
  6: '6: an expert guess',
};

export const BARRIERS = ['staff capacity', 'culture', 'funding', 'technology',
  'information governance', 'risk aversion', 'skills', 'partnership', 'demand', 'policy'];

/** A sentence from the API ("title is required") as a sentence people read. */
export function sentence(message) {
  const text = String(message ?? '').trim();
  if (!text) return '';
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
