// htm bound to Preact: tagged templates instead of JSX, so the browser runs our files as written.
import { h, render, Fragment } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
export { render, Fragment };
