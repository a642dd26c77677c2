// Signing in with email and password. The server sets an HttpOnly cookie; this page never sees it.
import { html } from '../lib/html.js';
import { mutate, request } from '../lib/graphql.js';
import { Form, useForm } from '../lib/forms.js';
import { TextInput } from '../lib/fields.js';
import { Page } from '../lib/ui.js';
import { navigate } from '../lib/router.js';
import { VIEWER } from '../lib/viewer.js';

const SIGN_IN = `
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) { account { id } userErrors { field code message } }
  }`;

/** Only a path of this client: never another site (an open redirect). */
function safeNext(next) {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : null;
}

export function SignIn({ query, onSignedIn }) {
  const form = useForm({
    initial: { email: '', password: '' },
    idPrefix: 'sign-in',
    validate: (v) => {
      const found = {};
      if (!v.email.trim()) found.email = 'Enter your email address';
      if (!v.password) found.password = 'Enter your password';
      return found;
    },
  });

  async function submit(event) {
    const payload = await form.submit(event, (v) =>
      mutate(SIGN_IN, { input: { email: v.email.trim(), password: v.password } }, 'signIn'));
    if (!payload) return;
    const { viewer } = await request(VIEWER);
    onSignedIn(viewer);
    navigate(safeNext(query.get('next')) ?? (viewer.role === 'STAFF' ? '/portfolio' : '/projects'), { replace: true });
  }

  return html`
    <${Page} title="Sign in" heading="Sign in to Inset"
      lead="Inset tracks innovation projects in children's services, from idea to scale, and what they taught.">
      <div class="narrow">
        <${Form} form=${form} onSubmit=${submit} submitText="Sign in">
          <${TextInput} form=${form} name="email" label="Email address" type="email" autocomplete="username"
            spellcheck="false" autocapitalize="none" />
          <${TextInput} form=${form} name="password" label="Password" type="password" autocomplete="current-password" />
        <//>
        <p class="small">No account yet? Incubator staff add the people of member organisations.
          The <a href="/library">learning library</a> is open to everyone.</p>
      </div>
    <//>`;
}
