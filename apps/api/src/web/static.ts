import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AppConfig } from '../config/config';
import { compressedAssets } from './compressed-assets';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Paths that belong to the API, never to the console's client-side router. */
const API_PREFIXES = ['/api/', '/socket.io/', '/healthz', '/readyz', '/metrics', '/widget'];

/** CSP for the console: scripts only from this origin, never framed. */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // Agents' pictures are https URLs on their own hosts.
  "img-src 'self' data: https:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function notBuilt(what: string) {
  return (_req: Request, res: Response) => {
    res.status(503).json({
      error: { code: 'NOT_BUILT', message: `The ${what} is not built. Run "npm run build" first.` },
    });
  };
}

/**
 * Serves the built widget loader at /widget.js, the chat frame under /widget/, and the console
 * (with client-side routing) at /. One process, one port.
 */
export function staticRouter(config: AppConfig): Router {
  const router = express.Router();
  const loader = join(config.WIDGET_DIST, 'loader', 'widget.js');
  const frame = join(config.WIDGET_DIST, 'frame');
  const consoleIndex = join(config.CONSOLE_DIST, 'index.html');

  const loaderCache = 'public, max-age=300';
  router.get(
    '/widget.js',
    (_req, res, next) => {
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      next();
    },
    compressedAssets(join(config.WIDGET_DIST, 'loader'), () => loaderCache),
    (req: Request, res: Response, next: NextFunction) => {
      if (!existsSync(loader)) {
        notBuilt('widget')(req, res);
        return;
      }
      res.setHeader('Cache-Control', loaderCache);
      res.sendFile(loader, (err) => {
        if (err) next(err);
      });
    },
  );

  // The frame's HTML carries a per-site policy (frame-ancestors): served by sites/frame.controller.
  router.get(['/widget', '/widget/', '/widget/index.html'], (_req, _res, next) => {
    next('router');
  });

  const frameCache = (path: string) => (path.endsWith('.html') ? 'no-cache' : IMMUTABLE);
  router.use(
    '/widget',
    compressedAssets(frame, frameCache),
    express.static(frame, {
      index: false,
      setHeaders: (res, path) => {
        res.setHeader('Cache-Control', frameCache(path));
      },
    }),
    (req: Request, res: Response) => {
      if (existsSync(frame)) {
        res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such widget file.' } });
      } else notBuilt('widget')(req, res);
    },
  );

  router.use(
    compressedAssets(config.CONSOLE_DIST, () => IMMUTABLE),
    express.static(config.CONSOLE_DIST, {
      index: false,
      setHeaders: (res) => {
        res.setHeader('Cache-Control', IMMUTABLE);
      },
    }),
  );

  // Client-side routes of the console.
  router.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
    if (API_PREFIXES.some((p) => req.path.startsWith(p))) {
      next();
      return;
    }
    if (!existsSync(consoleIndex)) {
      notBuilt('console')(req, res);
      return;
    }
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    // For browsers that predate frame-ancestors.
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(consoleIndex, (err) => {
      if (err) next(err);
    });
  });
  return router;
}
