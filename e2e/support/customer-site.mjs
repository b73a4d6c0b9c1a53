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
const snippetFor = (url) =>
  `<script async src="${url}/widget.js" data-site-key="${siteKey}"></script>`;
const snippet = snippetFor(parleyUrl);

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let html = page(snippet);
  if (url.pathname === '/twice') html = page(`${snippet}\n${snippet}`);
  // The same site, reaching Parley through a proxy that blocks WebSocket.
  if (url.pathname === '/proxied') html = page(snippetFor(proxiedUrl));
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}).listen(Number(port), '127.0.0.1', () => {
  console.log(`customer site on http://127.0.0.1:${port}`);
});
