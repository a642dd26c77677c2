// The client's only way to the server: the public GraphQL API at /graphql, like any partner.

/** A request the API refused or could not answer (not a user error: those are data). */
export class ApiError extends Error {
  constructor(message, code, requestId) {
    super(message);
    this.code = code;
    this.requestId = requestId;
  }
}

const listeners = new Set();

/** Called with every ApiError whose code is UNAUTHENTICATED (the session ended). */
export function onSignedOut(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The data of a query or mutation; throws ApiError on GraphQL errors or a broken answer. */
export async function request(query, variables = {}) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/graphql-response+json, application/json',
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('Inset could not be reached. Check your connection and try again.', 'NETWORK');
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`Inset answered with an error (HTTP ${response.status}). Try again in a moment.`, 'HTTP');
  }
  const requestId = body?.extensions?.requestId;
  if (body.errors?.length) {
    const first = body.errors[0];
    const error = new ApiError(first.message, first.extensions?.code ?? 'ERROR', requestId);
    if (error.code === 'UNAUTHENTICATED') listeners.forEach((listener) => listener(error));
    throw error;
  }
  return body.data;
}

/**
 * Runs a mutation whose payload is `data[name]`, returning `{ payload, userErrors }`.
 * userErrors keep the API's shape ({ field: ["input", "title"], code, message }).
 */
export async function mutate(query, variables, name) {
  const data = await request(query, variables);
  const payload = data[name];
  const userErrors = payload?.userErrors ?? [];
  // The API refuses an anonymous change as FORBIDDEN: when the session has ended (expiry,
  // or signing out in another tab), say so and send the person to sign in again.
  if (userErrors.some((e) => e.code === 'FORBIDDEN' && !e.field?.length)) {
    const now = await request('query StillSignedIn { viewer { id } }').catch(() => null);
    if (now && !now.viewer) {
      const ended = new ApiError('Your sign-in has ended: sign in again.', 'UNAUTHENTICATED');
      listeners.forEach((listener) => listener(ended));
    }
  }
  return { payload, userErrors };
}

/** ["input", "lesson", "title"] -> "lesson.title": how forms name their fields. */
export function fieldKey(path) {
  if (!path?.length) return null;
  const rest = path[0] === 'input' ? path.slice(1) : path;
  return rest.join('.') || null;
}

/**
 * Sorts userErrors into the form's fields: `{ fields: { name: message }, other: [errors] }`.
 * A path deeper than any field belongs to the nearest field that holds it
 * (["input", "amount", "amount"] -> "amount"). CONFLICT is kept apart: it is about the
 * record, not a field.
 */
export function sortUserErrors(userErrors, fieldNames) {
  const known = new Set(fieldNames);
  const fields = {};
  const other = [];
  let conflict = null;
  for (const error of userErrors) {
    if (error.code === 'CONFLICT') {
      conflict = error;
      continue;
    }
    let key = fieldKey(error.field);
    while (key && !known.has(key)) key = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : null;
    // Several errors may land on one field (each text that blocks going public): show them all.
    if (key) fields[key] = fields[key] ? `${fields[key]} ${error.message}` : error.message;
    else other.push(error);
  }
  return { fields, other, conflict };
}
