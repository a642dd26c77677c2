// Following: the viewer's follows, loaded once a page, and a button that follows or stops.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { mutate, request } from './graphql.js';

export const FOLLOWS = `
  query Follows {
    viewer { follows { id barrier theme { id name } project { id title } organisation { id name } } }
  }`;

const FOLLOW = `mutation Follow($input: FollowInput!) { follow(input: $input) { follow { id } userErrors { field code message } } }`;
const UNFOLLOW = `mutation Unfollow($input: FollowInput!) { unfollow(input: $input) { unfollowed userErrors { field code message } } }`;

/** The follow input's key and value of a follow row: ['projectId', '...'] and so on. */
export function targetOf(follow) {
  if (follow.barrier) return { barrier: follow.barrier };
  if (follow.theme) return { themeId: follow.theme.id };
  if (follow.project) return { projectId: follow.project.id };
  if (follow.organisation) return { organisationId: follow.organisation.id };
  return null;
}

function same(a, b) {
  return a && b && Object.keys(a)[0] === Object.keys(b)[0] && Object.values(a)[0] === Object.values(b)[0];
}

/** { follows, following(target), toggle(target) }; follows is null until loaded. */
export function useFollows(viewer) {
  const [follows, setFollows] = useState(null);
  const load = () => request(FOLLOWS).then((data) => setFollows(data.viewer?.follows ?? [])).catch(() => setFollows([]));
  useEffect(() => {
    if (viewer) load();
  }, [viewer?.id]);
  const following = (target) => Boolean(follows?.some((f) => same(targetOf(f), target)));
  async function toggle(target) {
    const { userErrors } = following(target)
      ? await mutate(UNFOLLOW, { input: target }, 'unfollow')
      : await mutate(FOLLOW, { input: target }, 'follow');
    await load();
    return userErrors;
  }
  return { follows, following, toggle, reload: load };
}

/** "Follow Northmoor Borough Council" / "Following ...": a toggle (aria-pressed). */
export function FollowButton({ follows, target, name }) {
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  if (!follows.follows) return null;
  const on = follows.following(target);
  async function click() {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      const errors = await follows.toggle(target);
      if (errors.length) setProblem(errors[0].message);
    } catch (error) {
      setProblem(error.message);
    } finally {
      setBusy(false);
    }
  }
  return html`
    <span class="follow">
      <button type="button" class=${on ? 'button secondary follow-on' : 'button secondary'} aria-pressed=${on ? 'true' : 'false'}
        onClick=${click}>${on ? 'Following' : 'Follow'}<span class="visually-hidden"> ${name}</span></button>
      ${problem && html`<span class="field-error" role="alert">${problem}</span>`}
    </span>`;
}
