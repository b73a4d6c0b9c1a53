import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from '@playwright/test';
import type { BenchConfig } from '../config';
import { summarize, type Summary } from '../load/samples';
import { log } from '../log';
import { PARLEY_ROOT, WIDGET_DIST } from '../paths';
import type { Target } from '../servers/targets';

export interface FileSize {
  file: string;
  bytes: number;
  gzip: number;
}

export interface WidgetResult {
  loader: FileSize;
  frame: FileSize[];
  frameGzip: number;
  browser: string;
  samples: number;
  /** The loader script's load event → the launcher painted. */
  launcherPainted: Summary;
  /** Click on the launcher → the frame's message box enabled and painted. */
  frameInteractive: Summary;
}

declare global {
  interface Window {
    __bench?: { scriptLoaded: number | null; painted: number | null; click: number | null };
    __benchReady?: number | null;
  }
}

function sizeOf(path: string): FileSize {
  const content = readFileSync(path);
  return {
    file: relative(PARLEY_ROOT, path),
    bytes: content.length,
    // Level 9, as the widget's own size budget measures.
    gzip: gzipSync(content, { level: 9 }).length,
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

interface HostPage {
  url: string;
  server: Server;
  setParley(url: string, siteKey: string): void;
}

/** The customer's site: another origin, a page holding only the snippet. */
async function startHostPage(): Promise<HostPage> {
  let snippet = '';
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Acme Store</title></head>
<body>
<h1>Acme Store</h1>
${snippet}
</body>
</html>
`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    // `localhost` for the page, `127.0.0.1` for Parley: different host names, different origins.
    url: `http://localhost:${(server.address() as AddressInfo).port}/`,
    server,
    setParley(url, siteKey) {
      snippet = `<script async src="${url}/widget.js" data-site-key="${siteKey}"></script>`;
    },
  };
}

/** Runs in the host page before its own scripts: times the loader and the launcher's first paint. */
function instrumentHost(): void {
  const bench = {
    scriptLoaded: null as number | null,
    painted: null as number | null,
    click: null as number | null,
  };
  window.__bench = bench;
  document.addEventListener(
    'load',
    (event) => {
      const el = event.target;
      if (
        el instanceof HTMLScriptElement &&
        el.src.endsWith('/widget.js') &&
        bench.scriptLoaded === null
      ) {
        bench.scriptLoaded = performance.now();
      }
    },
    true,
  );
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeName !== 'PARLEY-WIDGET') continue;
        observer.disconnect();
        // The next frame's rendering, then the task after it: the launcher has been painted.
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            bench.painted = performance.now();
          };
          channel.port2.postMessage(0);
        });
      }
    }
  });
  observer.observe(document, { childList: true, subtree: true });
  window.addEventListener(
    'click',
    () => {
      bench.click ??= performance.timeOrigin + performance.now();
    },
    true,
  );
}

/** Runs in the chat frame: records when the message box becomes usable and is painted. */
function watchComposer(): void {
  window.__benchReady = null;
  const usable = () => {
    const box = document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]');
    return box !== null && !box.disabled && box.getBoundingClientRect().width > 0;
  };
  const done = () => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        window.__benchReady = performance.timeOrigin + performance.now();
      };
      channel.port2.postMessage(0);
    });
  };
  if (usable()) {
    done();
    return;
  }
  const observer = new MutationObserver(() => {
    if (usable()) {
      observer.disconnect();
      done();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
}

async function sampleOnce(
  browser: Browser,
  hostUrl: string,
): Promise<{ painted: number; interactive: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(instrumentHost);
    await page.goto(hostUrl);
    await page.waitForFunction(() => window.__bench?.painted != null, undefined, {
      timeout: 15_000,
    });
    // A visitor clicks once the page has settled: the frame is loaded (hidden) by then.
    await page.waitForLoadState('networkidle');
    const frame = page.frames().find((f) => f.url().includes('/widget/'));
    if (!frame) throw new Error('the chat frame was not created');
    await frame.evaluate(watchComposer);
    await page.getByRole('button', { name: /^Chat/ }).click();
    await frame.waitForFunction(() => window.__benchReady != null, undefined, { timeout: 15_000 });
    const host = await page.evaluate(() => window.__bench);
    const ready = await frame.evaluate(() => window.__benchReady);
    if (
      !host ||
      host.scriptLoaded === null ||
      host.painted === null ||
      host.click === null ||
      ready == null
    ) {
      throw new Error('a timing mark is missing');
    }
    return { painted: host.painted - host.scriptLoaded, interactive: ready - host.click };
  } finally {
    await context.close();
  }
}

/**
 * Serves the customer's page, starts Parley allowing that page's origin (`start` is given the
 * environment to add), and times the widget in Chromium.
 */
export async function runWidget(
  config: BenchConfig,
  start: <T>(env: NodeJS.ProcessEnv, fn: (target: Target) => Promise<T>) => Promise<T>,
): Promise<WidgetResult> {
  const loaderPath = join(WIDGET_DIST, 'loader/widget.js');
  if (!existsSync(loaderPath)) throw new Error('the widget is not built (run the build first)');
  const frame = filesUnder(join(WIDGET_DIST, 'frame'))
    .filter((f) => !f.endsWith('.map'))
    .sort()
    .map(sizeOf);
  const host = await startHostPage();
  try {
    return await start({ DEFAULT_SITE_ORIGINS: new URL(host.url).origin }, (target) =>
      timeWidget(config, target, host, loaderPath, frame),
    );
  } finally {
    host.server.close();
  }
}

async function timeWidget(
  config: BenchConfig,
  target: Target,
  host: HostPage,
  loaderPath: string,
  frame: FileSize[],
): Promise<WidgetResult> {
  host.setParley(target.url, target.siteKey);
  const browser = await chromium.launch({
    executablePath: config.chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    // One load first, not counted: the browser's own start-up work.
    await sampleOnce(browser, host.url);
    const painted: number[] = [];
    const interactive: number[] = [];
    for (let i = 0; i < config.widget.samples; i++) {
      const sample = await sampleOnce(browser, host.url);
      painted.push(sample.painted);
      interactive.push(sample.interactive);
    }
    const result: WidgetResult = {
      loader: sizeOf(loaderPath),
      frame,
      frameGzip: frame.reduce((sum, f) => sum + f.gzip, 0),
      browser: `Chromium ${browser.version()}`,
      samples: painted.length,
      launcherPainted: summarize(painted),
      frameInteractive: summarize(interactive),
    };
    log(
      `  widget: launcher painted p50 ${result.launcherPainted.p50.toFixed(1)} ms (max ${result.launcherPainted.max.toFixed(1)}), frame interactive p50 ${result.frameInteractive.p50.toFixed(1)} ms (max ${result.frameInteractive.max.toFixed(1)})`,
    );
    return result;
  } finally {
    await browser.close();
  }
}
