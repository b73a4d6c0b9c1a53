/** The cluster the scale-out browser tests start: three nodes behind nginx round-robin. */
export const CLUSTER_BASE_PORT = 4310;
/** Balancer that drops the WebSocket Upgrade (nodes listen on the next three ports). */
export const CLUSTER_URL = `http://localhost:${CLUSTER_BASE_PORT}`;
/** Balancer that passes the Upgrade. */
export const CLUSTER_UPGRADE_PORT = 4314;
export const CLUSTER_UPGRADE_URL = `http://localhost:${CLUSTER_UPGRADE_PORT}`;
/** The customer's site for the cluster, on another origin: `/` uses the first balancer, `/proxied` the second. */
export const CLUSTER_CUSTOMER_PORT = 4315;
export const CLUSTER_CUSTOMER_URL = `http://127.0.0.1:${CLUSTER_CUSTOMER_PORT}`;
