// What the viewer is told, what they follow, and how often they are emailed.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { mutate } from '../lib/graphql.js';
import { FollowButton, targetOf, useFollows } from '../lib/follow.js';
import { BARRIERS, date } from '../lib/format.js';
import { withQuery } from '../lib/router.js';
import { Loading, Page, Problem, useQuery } from '../lib/ui.js';
import { setUnread } from '../lib/unread.js';

const NOTIFICATIONS = `
  query Notifications($first: Int!, $after: String, $unreadOnly: Boolean!) {
    themes { id name }
    viewer {
      id emailDigest unreadNotificationCount
      notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id kind read message createdAt
          project { id }
          lesson { id project { id } }
          nomination { id }
        }
      }
    }
  }`;

const ERRORS = 'userErrors { field code message }';
const MARK_READ = `mutation MarkRead($input: MarkNotificationReadInput!) { markNotificationRead(input: $input) { unreadCount ${ERRORS} } }`;
const MARK_ALL = `mutation MarkAllRead { markAllNotificationsRead { unreadCount ${ERRORS} } }`;
const SET_DIGEST = `mutation SetDigest($input: SetEmailDigestInput!) { setEmailDigest(input: $input) { frequency ${ERRORS} } }`;

const FREQUENCIES = [
  ['DAILY', 'Daily', 'One email a day when there is something new.'],
  ['WEEKLY', 'Weekly', 'One email a week when there is something new.'],
  ['OFF', 'No emails', 'You are still told here.'],
];

function linkOf(note) {
  if (note.lesson?.project) return `/projects/${note.lesson.project.id}#lessons`;
  if (note.lesson) return '/library';
  if (note.project) return `/projects/${note.project.id}`;
  if (note.nomination) return '/nominations';
  return null;
}

function Notification({ note, onRead }) {
  const href = linkOf(note);
  return html`
    <li class=${note.read ? 'record notification' : 'record notification unread'}>
      <p>${!note.read && html`<span class="badge badge-unread">New</span> `}
        ${href ? html`<a href=${href}>${note.message}</a>` : note.message}</p>
      <p class="small muted">${date(note.createdAt)}
        ${!note.read && html` · <button type="button" class="link-button" onClick=${() => onRead(note)}>Mark read<span class="visually-hidden">: ${note.message}</span></button>`}</p>
    </li>`;
}

function Digest({ current }) {
  const [chosen, setChosen] = useState(current);
  const [status, setStatus] = useState(null);
  async function choose(value) {
    setChosen(value);
    const { payload, userErrors } = await mutate(SET_DIGEST, { input: { frequency: value } }, 'setEmailDigest');
    setStatus(userErrors.length ? userErrors[0].message : `Saved: ${FREQUENCIES.find(([v]) => v === payload.frequency)[1].toLowerCase()}.`);
  }
  return html`
    <section id="email" class="panel" aria-labelledby="email-heading">
      <h2 id="email-heading">Email digest</h2>
      <fieldset class="field">
        <legend>How often should Inset email you what is new?</legend>
        <div class="choices">
          ${FREQUENCIES.map(([value, text, help]) => html`
            <div class="choice" key=${value}>
              <input type="radio" id=${`digest-${value}`} name="digest" value=${value} checked=${chosen === value}
                onChange=${() => choose(value)} aria-describedby=${`digest-${value}-help`} />
              <label for=${`digest-${value}`}>${text}</label>
              <p class="hint choice-hint" id=${`digest-${value}-help`}>${help}</p>
            </div>`)}
        </div>
      </fieldset>
      <p role="status" class="small">${status}</p>
    </section>`;
}

function Follows({ viewer, themes }) {
  const follows = useFollows(viewer);
  const [barrier, setBarrier] = useState('');
  const [theme, setTheme] = useState('');
  const [problem, setProblem] = useState(null);
  async function add(event, target) {
    event.preventDefault();
    setProblem(null);
    if (!Object.values(target)[0]) {
      setProblem('Choose what to follow first.');
      return;
    }
    if (!follows.following(target)) {
      const errors = await follows.toggle(target);
      if (errors.length) setProblem(errors[0].message);
    }
  }
  const nameOf = (f) => f.barrier ?? f.theme?.name ?? f.project?.title ?? f.organisation?.name ?? 'A project you may no longer read';
  const kindOf = (f) => (f.barrier ? 'Barrier' : f.theme ? 'Theme' : f.organisation ? 'Organisation' : 'Project');
  return html`
    <section id="follows" class="panel" aria-labelledby="follows-heading">
      <h2 id="follows-heading">What you follow</h2>
      <p class="small">You are told of new lessons on a barrier or theme you follow, new projects in a theme or
        organisation you follow, and each gate a project you follow passes. Follow a project or an organisation from its page.</p>
      ${follows.follows === null ? html`<${Loading} />` : follows.follows.length === 0
        ? html`<p class="muted">Nothing yet.</p>`
        : html`<ul class="follow-list">
            ${follows.follows.map((f) => html`
              <li key=${f.id}><span class="small muted">${kindOf(f)}:</span> ${nameOf(f)}
                <${FollowButton} follows=${follows} target=${targetOf(f)} name=${nameOf(f)} /></li>`)}
          </ul>`}
      <div class="follow-forms">
        <form onSubmit=${(e) => add(e, { barrier })} class="inline-form">
          <label for="follow-barrier">Follow a barrier</label>
          <select id="follow-barrier" class="input select" value=${barrier} onChange=${(e) => setBarrier(e.currentTarget.value)}>
            <option value="">Choose a barrier</option>
            ${BARRIERS.map((b) => html`<option key=${b} value=${b}>${b}</option>`)}
          </select>
          <button type="submit" class="button secondary">Follow barrier</button>
        </form>
        <form onSubmit=${(e) => add(e, { themeId: theme })} class="inline-form">
          <label for="follow-theme">Follow a theme</label>
          <select id="follow-theme" class="input select" value=${theme} onChange=${(e) => setTheme(e.currentTarget.value)}>
            <option value="">Choose a theme</option>
            ${themes.map((t) => html`<option key=${t.id} value=${t.id}>${t.name}</option>`)}
          </select>
          <button type="submit" class="button secondary">Follow theme</button>
        </form>
      </div>
      ${problem && html`<p class="field-error" role="alert">${problem}</p>`}
    </section>`;
}

export function Notifications({ query, viewer }) {
  const unreadOnly = query.get('unread') === '1';
  const { data, error, loading, reload } = useQuery(NOTIFICATIONS, { first: 20, after: query.get('after'), unreadOnly });
  const [problem, setProblem] = useState(null);
  useEffect(() => {
    if (data?.viewer) setUnread(data.viewer.unreadNotificationCount);
  }, [data]);
  async function run(mutation, variables, name) {
    setProblem(null);
    try {
      const { payload, userErrors } = await mutate(mutation, variables, name);
      if (userErrors.length) setProblem(userErrors[0].message);
      else setUnread(payload.unreadCount);
      await reload();
    } catch (e) {
      setProblem(e.message);
    }
  }
  const markRead = (note) => run(MARK_READ, { input: { notificationId: note.id } }, 'markNotificationRead');
  const markAll = () => run(MARK_ALL, {}, 'markAllNotificationsRead');
  const notes = data?.viewer?.notifications;
  return html`
    <${Page} title="Notifications" lead="What changed in what you follow, and decisions waiting for you.">
      ${loading && !data && html`<${Loading} what="Loading your notifications" />`}
      ${error && html`<${Problem} error=${error} retry=${reload} />`}
      ${notes && html`
        <div class="toolbar">
          <p role="status" class="result-count">${data.viewer.unreadNotificationCount} unread</p>
          <a href=${unreadOnly ? '/notifications' : withQuery('/notifications', { unread: '1' })}>${unreadOnly ? 'Show all' : 'Show unread only'}</a>
          ${data.viewer.unreadNotificationCount > 0 && html`<button type="button" class="button secondary" onClick=${markAll}>Mark all read</button>`}
        </div>
        ${problem && html`<p class="field-error" role="alert">${problem}</p>`}
        ${notes.nodes.length === 0
          ? html`<p class="muted">${unreadOnly ? 'Nothing unread.' : 'Nothing yet. Follow a theme, a barrier, a project or an organisation to be told of what changes.'}</p>`
          : html`<ul class="records">${notes.nodes.map((n) => html`<${Notification} key=${n.id} note=${n} onRead=${markRead} />`)}</ul>`}
        ${notes.pageInfo.hasNextPage && html`
          <nav class="pager" aria-label="Pages of notifications">
            <a href=${withQuery('/notifications', { unread: unreadOnly ? '1' : '', after: notes.pageInfo.endCursor })}>Older</a>
          </nav>`}
        <${Follows} viewer=${viewer} themes=${data.themes} />
        <${Digest} current=${data.viewer.emailDigest} />`}
    <//>`;
}
