// Starts GraphiQL (React 18 and GraphiQL's own bundle, all served by Inset: no network needed).
// Requests carry this browser's sign-in cookie; an API token can go in the Headers tab:
// {"Authorization": "Bearer <token>"}.
(function start() {
  const element = document.getElementById('graphiql');
  const fetcher = window.GraphiQL.createFetcher({ url: element.dataset.endpoint });
  const query = [
    '# Inset GraphQL API. Signed in to the web client in this',
    '# browser? Then these requests are yours. Otherwise add',
    '# {"Authorization": "Bearer <token>"} in the Headers tab.',
    '{',
    '  viewer { name role organisation { name } }',
    '  projects(first: 5) { totalCount nodes { id title stage status evidenceLevel } }',
    '}',
    '',
  ].join('\n');
  window.ReactDOM.createRoot(element).render(
    window.React.createElement(window.GraphiQL, { fetcher, defaultQuery: query }),
  );
})();
