import {
  type Agent,
  type CannedResponse,
  CannedResponseListSchema,
  TeammatesResponseSchema,
  type ConnectionFailureReport,
  type ConnectionsResponse,
  ConnectionsResponseSchema,
  type ConsoleConfig,
  ConsoleConfigSchema,
  type IdentitySecretResponse,
  IdentitySecretResponseSchema,
  type Site,
  SiteListResponseSchema,
  SiteResponseSchema,
  type UpdateSiteRequest,
  type Conversation,
  type ConversationStatus,
  ListConversationsResponseSchema,
  type LoginRequest,
  LogoutResponseSchema,
  MeResponseSchema,
  type SyncResult,
  SyncResultSchema,
  type TransportMode,
  type TransportSettings,
  TransportSettingsSchema,
  type UpdateTransportRequest,
} from '@parley/protocol';
import { ApiRequestError, requestJson, requestVoid } from './http';

/** Every REST call the console makes. Components and the store receive it, so tests can fake it. */
export interface ConsoleApi {
  login(request: LoginRequest): Promise<Agent>;
  logout(): Promise<void>;
  /** The signed-in agent, or null when there is no valid session. */
  me(): Promise<Agent | null>;
  config(): Promise<ConsoleConfig>;
  listConversations(status: ConversationStatus): Promise<Conversation[]>;
  messages(conversationId: string, afterSeq: number): Promise<SyncResult>;
  cannedResponses(): Promise<CannedResponse[]>;
  /** The active agents, to assign conversations to. */
  teammates(): Promise<Agent[]>;
  transportSettings(): Promise<TransportSettings>;
  updateTransport(mode: TransportMode): Promise<TransportSettings>;
  connections(): Promise<ConnectionsResponse>;
  reportFailure(report: ConnectionFailureReport): Promise<void>;
  sites(): Promise<Site[]>;
  updateSite(id: string, update: UpdateSiteRequest): Promise<Site>;
  /** Creates or replaces the site's identity secret; the secret is returned this once. */
  createIdentitySecret(id: string): Promise<IdentitySecretResponse>;
}

export function createConsoleApi(): ConsoleApi {
  return {
    async login(request) {
      const { agent } = await requestJson('/api/auth/login', MeResponseSchema, {
        method: 'POST',
        body: request,
      });
      return agent;
    },

    async logout() {
      await requestJson('/api/auth/logout', LogoutResponseSchema, { method: 'POST', body: {} });
    },

    async me() {
      try {
        const { agent } = await requestJson('/api/me', MeResponseSchema);
        return agent;
      } catch (error) {
        if (error instanceof ApiRequestError && error.isUnauthorized) return null;
        throw error;
      }
    },

    config() {
      return requestJson('/api/config', ConsoleConfigSchema);
    },

    async listConversations(status) {
      const query = new URLSearchParams({ status });
      const { conversations } = await requestJson(
        `/api/conversations?${query.toString()}`,
        ListConversationsResponseSchema,
      );
      return conversations;
    },

    messages(conversationId, afterSeq) {
      const query = new URLSearchParams({ afterSeq: String(afterSeq) });
      return requestJson(
        `/api/conversations/${encodeURIComponent(conversationId)}/messages?${query.toString()}`,
        SyncResultSchema,
      );
    },

    async cannedResponses() {
      return (await requestJson('/api/canned-responses', CannedResponseListSchema)).cannedResponses;
    },

    async teammates() {
      return (await requestJson('/api/teammates', TeammatesResponseSchema)).agents;
    },

    transportSettings() {
      return requestJson('/api/settings/transport', TransportSettingsSchema);
    },

    updateTransport(mode) {
      const body: UpdateTransportRequest = { mode };
      return requestJson('/api/settings/transport', TransportSettingsSchema, {
        method: 'PUT',
        body,
      });
    },

    connections() {
      return requestJson('/api/realtime/connections', ConnectionsResponseSchema);
    },

    reportFailure(report) {
      return requestVoid('/api/realtime/failures', { method: 'POST', body: report });
    },

    async sites() {
      return (await requestJson('/api/sites', SiteListResponseSchema)).sites;
    },

    async updateSite(id, update) {
      const { site } = await requestJson(
        `/api/sites/${encodeURIComponent(id)}`,
        SiteResponseSchema,
        { method: 'PATCH', body: update },
      );
      return site;
    },

    createIdentitySecret(id) {
      return requestJson(
        `/api/sites/${encodeURIComponent(id)}/identity-secret`,
        IdentitySecretResponseSchema,
        { method: 'POST' },
      );
    },
  };
}
