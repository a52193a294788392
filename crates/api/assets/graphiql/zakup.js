// Starts GraphiQL on this server's endpoints, in a file: the Content-Security-Policy allows no
// inline script. Queries go to /graphql, subscriptions to /graphql/ws (graphql-transport-ws).
(function () {
  var here = new URL('/graphql', window.location.href);
  var ws = new URL('/graphql/ws', window.location.href);
  ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:';
  var fetcher = GraphiQL.createFetcher({
    url: here.toString(),
    subscriptionUrl: ws.toString(),
    fetch: function (url, options) {
      return fetch(url, Object.assign({}, options, { credentials: 'same-origin' }));
    },
  });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true })
  );
})();
