import type { Plugin } from 'vite';

/** engine.io-client's table of the transports a connection may use, by name. */
const TRANSPORTS_MODULE = /\/node_modules\/engine\.io-client\/build\/esm\/transports\/index\.js$/;

/**
 * Bundles only the transports the frame uses: HTTP long-polling (over XMLHttpRequest, as before)
 * and WebSocket. socket.io-client's Manager builds engine.io's `Socket`, whose default table also
 * holds WebTransport, which Parley's server never offers (its transport modes are `polling`,
 * `websocket` and both); without it the socket.io chunk is smaller. The `.node.js` names are what
 * the table imports; the package's `browser` field maps them to the browser implementations.
 */
export function pollingAndWebSocketOnly(): Plugin {
  return {
    name: 'parley:polling-and-websocket-only',
    apply: 'build',
    load(id) {
      if (!TRANSPORTS_MODULE.test(id)) return null;
      return [
        'import { XHR } from "./polling-xhr.node.js";',
        'import { WS } from "./websocket.node.js";',
        'export const transports = { websocket: WS, polling: XHR };',
      ].join('\n');
    },
  };
}
