/** Where the browser tests find Parley (production build) and the customer's site (another origin). */
/** `E2E_PORT_BASE` moves the three ports (API, customer page, proxy) to run two suites side by side. */
const BASE_PORT = Number(process.env.E2E_PORT_BASE ?? 4300);
export const API_PORT = BASE_PORT;
export const CUSTOMER_PORT = BASE_PORT + 1;
export const API_URL = `http://localhost:${API_PORT}`;
/** A different host name as well as a different port: a truly cross-origin customer page. */
export const CUSTOMER_URL = `http://127.0.0.1:${CUSTOMER_PORT}`;
/** Parley behind an nginx that drops the WebSocket Upgrade, like an AWS Classic ELB HTTP listener. */
export const PROXY_PORT = BASE_PORT + 2;
export const PROXY_URL = `http://localhost:${PROXY_PORT}`;
export const SITE_KEY = 'e2e-site';
export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'e2e-password-123';
/** The search and reports tests' own node, on a database seeded with SQL (E2E_PORT_BASE + 3). */
export const SEARCH_PORT = BASE_PORT + 3;
/** The reports test's own node (E2E_PORT_BASE + 4). */
export const REPORTS_PORT = BASE_PORT + 4;
