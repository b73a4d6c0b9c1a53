// A customer's website on its own origin: its page holds nothing but the Parley snippet.
// Usage: node e2e/support/customer-site.mjs <port> <parleyUrl> <siteKey> [<proxiedParleyUrl>]
import { createServer } from 'node:http';

const [
  port = '4301',
  parleyUrl = 'http://localhost:4300',
  siteKey = 'e2e-site',
  proxiedUrl = parleyUrl,
] = process.argv.slice(2);

const page = (body) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Acme Store</title></head>
<body>
${body}
</body>
</html>
`;
const snippetFor = (url, key = siteKey) =>
  `<script async src="${url}/widget.js" data-site-key="${key}"></script>`;
const snippet = snippetFor(parleyUrl);
/** Text that is safe inside an HTML attribute or an inline script's JSON. */
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const scriptJson = (value) => JSON.stringify(value).replace(/</g, '\\u003c');
const parleyOrigin = new URL(parleyUrl).origin;
/** Pages whose policy allows Parley only: scripts, frames and connections, nothing inline. */
const STRICT_CSP = [
  "default-src 'none'",
  `script-src ${parleyOrigin}`,
  `frame-src ${parleyOrigin}`,
  `connect-src ${parleyOrigin}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  // This page's own origin as the browser sees it (the server answers to 127.0.0.1 and localhost).
  const pageOrigin = `http://${req.headers.host ?? `127.0.0.1:${port}`}`;
  const key = url.searchParams.get('siteKey') ?? siteKey;
  const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' };
  let html = page(snippet);
  if (url.pathname === '/twice') html = page(`${snippet}\n${snippet}`);
  // The same site, reaching Parley through a proxy that blocks WebSocket.
  if (url.pathname === '/proxied') html = page(snippetFor(proxiedUrl));
  // The snippet of another site (?siteKey=).
  if (url.pathname === '/embed') html = page(snippetFor(parleyUrl, escapeHtml(key)));
  // A page whose CSP allows only Parley's origin for scripts, frames and connections.
  if (url.pathname === '/strict-csp') {
    headers['Content-Security-Policy'] = STRICT_CSP;
    html = page(snippetFor(parleyUrl, escapeHtml(key)));
  }
  // A signed-in user, passed before the loader arrives (?identity= JSON).
  if (url.pathname === '/identify') {
    const identity = JSON.parse(url.searchParams.get('identity') ?? '{}');
    html = page(
      `<script>window.Parley = window.Parley || []; Parley.push(['identify', ${scriptJson(identity)}]);</script>\n${snippetFor(parleyUrl, escapeHtml(key))}`,
    );
  }
  // A page driving the widget through the SDK: its own button, no default launcher, the panel on
  // the left, handlers registered before the loader arrives (their calls go to window.parleyEvents).
  if (url.pathname === '/sdk') {
    html = page(`<button type="button" id="help">Need help?</button>
<script>
window.parleyEvents = [];
window.Parley = window.Parley || [];
['ready', 'open', 'close', 'message', 'unreadCountChange', 'error'].forEach(function (name) {
  Parley.push(['on', name, function (data) {
    var detail = name === 'message' ? data.authorKind + ':' + data.body : name === 'error' ? data.code : data;
    parleyEvents.push(detail === undefined ? name : name + ' ' + detail);
  }]);
});
document.getElementById('help').addEventListener('click', function () { Parley.open(); });
</script>
<script async src="${parleyUrl}/widget.js" data-site-key="${escapeHtml(key)}" data-launcher="none" data-position="left"></script>`);
  }
  // The chat frame put straight into this page, without the loader.
  if (url.pathname === '/frame-direct') {
    const src = `${parleyUrl}/widget/?siteKey=${encodeURIComponent(key)}&origin=${encodeURIComponent(pageOrigin)}`;
    html = page(`<iframe title="Direct chat" src="${escapeHtml(src)}"></iframe>`);
  }
  // The console, framed by another site.
  if (url.pathname === '/frame-console') {
    html = page(`<iframe title="Framed console" src="${escapeHtml(parleyUrl)}/"></iframe>`);
  }
  res.writeHead(200, headers);
  res.end(html);
}).listen(Number(port), '127.0.0.1', () => {
  console.log(`customer site on http://127.0.0.1:${port}`);
});
