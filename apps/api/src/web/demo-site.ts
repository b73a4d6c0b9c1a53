import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a customer's website, on its own port (so its own origin), whose page holds
 * nothing but the snippet. `npm start` opens one so the widget can be tried at once.
 */
export async function startDemoSite(
  port: number,
  parleyUrl: string,
  siteKey: string,
): Promise<{ url: string; close: () => void }> {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Demo customer site</title></head>
<body>
<h1>Demo customer site</h1>
<p>This page stands for a customer's website. The chat button in the corner is Parley's widget.</p>
<script async src="${parleyUrl}/widget.js" data-site-key="${siteKey}"></script>
</body>
</html>
`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${actual}/`,
    close: () => server.close(),
  };
}
