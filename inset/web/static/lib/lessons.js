// What every view of a lesson shares: where it comes from, as far as the reader may know.
import { html } from './html.js';
import { label } from './format.js';

const COMPASS = /^(North|South|East|West|Midlands)/;

/** "a local authority in the North West": who is behind an anonymised lesson, and no more. */
export function anonymousSource(kind, region) {
  const what = kind === 'OTHER' ? 'organisation' : label(kind).toLowerCase();
  const article = /^[aeiou]/.test(what) ? 'an' : 'a';
  if (!region) return `${article} ${what}`;
  return `${article} ${what} in ${COMPASS.test(region) ? 'the ' : ''}${region}`;
}

/** Where a lesson comes from: its project and organisation when the reader may know them. */
export function Source({ lesson }) {
  if (lesson.project) {
    return html`<a href=${`/projects/${lesson.project.id}`}>${lesson.project.title}</a>, ${lesson.organisation?.name}`;
  }
  if (lesson.organisation) return `A project of ${lesson.organisation.name}`;
  const who = anonymousSource(lesson.organisationKind, lesson.region);
  return `Anonymised: ${who}`;
}

/** A count in words: "1 person", "3 people". */
export function people(count) {
  return count === 1 ? '1 person' : `${count} people`;
}
