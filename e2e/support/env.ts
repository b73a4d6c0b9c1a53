/** Where the browser tests find Parley (production build) and the customer's site (another origin). */
export const API_PORT = 4300;
export const CUSTOMER_PORT = 4301;
export const API_URL = `http://localhost:${API_PORT}`;
/** A different host name as well as a different port: a truly cross-origin customer page. */
export const CUSTOMER_URL = `http://127.0.0.1:${CUSTOMER_PORT}`;
/** Parley behind an nginx that drops the WebSocket Upgrade, like an AWS Classic ELB HTTP listener. */
export const PROXY_PORT = 4302;
export const PROXY_URL = `http://localhost:${PROXY_PORT}`;
export const SITE_KEY = 'e2e-site';
export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'e2e-password-123';
