import {
  type Agent,
  type AgentPreferences,
  AgentPreferencesSchema,
  type PresenceResponse,
  PresenceResponseSchema,
  type SiteAvailability,
  SiteAvailabilitySchema,
  type UpdateAgentPreferences,
  AgentListResponseSchema,
  AgentResponseSchema,
  type ChangePasswordRequest,
  type CreateAgentRequest,
  type CreateAgentResponse,
  CreateAgentResponseSchema,
  type CreateCannedResponse,
  CannedResponseResultSchema,
  type CreateSiteRequest,
  type ManagedAgent,
  type MeResponse,
  type UpdateAgentRequest,
  type UpdateCannedResponse,
  type UpdateProfileRequest,
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
  type PreChatSettings,
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
  type SearchResponse,
  SearchResponseSchema,
  type ReportResponse,
  ReportResponseSchema,
} from '@parley/protocol';
import { ApiRequestError, requestJson, requestVoid } from './http';

/** Every REST call the console makes. Components and the store receive it, so tests can fake it. */
export interface ConsoleApi {
  login(request: LoginRequest): Promise<MeResponse>;
  logout(): Promise<void>;
  /** The signed-in agent, or null when there is no valid session. */
  me(): Promise<MeResponse | null>;
  /** Replaces the agent's own password (also a one-time one). */
  changePassword(request: ChangePasswordRequest): Promise<MeResponse>;
  /** The agent's own display name and picture. */
  updateProfile(update: UpdateProfileRequest): Promise<MeResponse>;
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
  /** Sets the site's pre-chat form (ADMIN). */
  updatePreChat?(id: string, preChat: PreChatSettings): Promise<Site>;
  /** Creates or replaces the site's identity secret; the secret is returned this once. */
  createIdentitySecret(id: string): Promise<IdentitySecretResponse>;
  /** Every agent's presence, and which of these visitors have the chat open. */
  presence(visitorIds: readonly string[]): Promise<PresenceResponse>;
  preferences(): Promise<AgentPreferences>;
  updatePreferences(update: UpdateAgentPreferences): Promise<AgentPreferences>;
  siteAvailability(siteId: string): Promise<SiteAvailability>;
  updateSiteAvailability(siteId: string, availability: SiteAvailability): Promise<SiteAvailability>;
  /** Report figures over a period (`GET /api/reports`). */
  report(query: {
    from: string;
    to: string;
    siteId?: string;
    agentId?: string;
    /** The reader's IANA time zone: the report's days are theirs. */
    timeZone?: string;
  }): Promise<ReportResponse>;
  /** Conversations by visitor name, email and message text (`GET /api/search`). */
  search(
    q: string,
    page?: { offset?: number; limit?: number },
    signal?: AbortSignal,
  ): Promise<SearchResponse>;
  createSite(request: CreateSiteRequest): Promise<Site>;
  /** Admins: every agent, active or not. */
  agents(): Promise<ManagedAgent[]>;
  /** Admins: a new agent and its one-time password (returned this once). */
  createAgent(request: CreateAgentRequest): Promise<CreateAgentResponse>;
  updateAgent(id: string, update: UpdateAgentRequest): Promise<ManagedAgent>;
  createCannedResponse(request: CreateCannedResponse): Promise<CannedResponse>;
  updateCannedResponse(id: string, update: UpdateCannedResponse): Promise<CannedResponse>;
  deleteCannedResponse(id: string): Promise<void>;
}

export function createConsoleApi(): ConsoleApi {
  return {
    login(request) {
      return requestJson('/api/auth/login', MeResponseSchema, { method: 'POST', body: request });
    },

    async logout() {
      await requestJson('/api/auth/logout', LogoutResponseSchema, { method: 'POST', body: {} });
    },

    async me() {
      try {
        return await requestJson('/api/me', MeResponseSchema);
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

    async updatePreChat(id, preChat) {
      const { site } = await requestJson(
        `/api/sites/${encodeURIComponent(id)}/pre-chat`,
        SiteResponseSchema,
        { method: 'PUT', body: preChat },
      );
      return site;
    },

    presence(visitorIds) {
      const query = new URLSearchParams({ visitorIds: visitorIds.join(',') });
      return requestJson(`/api/presence?${query.toString()}`, PresenceResponseSchema);
    },

    preferences() {
      return requestJson('/api/me/preferences', AgentPreferencesSchema);
    },

    updatePreferences(update) {
      return requestJson('/api/me/preferences', AgentPreferencesSchema, {
        method: 'PATCH',
        body: update,
      });
    },

    siteAvailability(siteId) {
      return requestJson(
        `/api/sites/${encodeURIComponent(siteId)}/availability`,
        SiteAvailabilitySchema,
      );
    },

    updateSiteAvailability(siteId, availability) {
      return requestJson(
        `/api/sites/${encodeURIComponent(siteId)}/availability`,
        SiteAvailabilitySchema,
        { method: 'PUT', body: availability },
      );
    },

    report(query) {
      const params = new URLSearchParams({ from: query.from, to: query.to });
      if (query.siteId) params.set('siteId', query.siteId);
      if (query.agentId) params.set('agentId', query.agentId);
      if (query.timeZone) params.set('timeZone', query.timeZone);
      return requestJson(`/api/reports?${params.toString()}`, ReportResponseSchema);
    },

    search(q, page = {}, signal) {
      const query = new URLSearchParams({ q });
      if (page.offset !== undefined) query.set('offset', String(page.offset));
      if (page.limit !== undefined) query.set('limit', String(page.limit));
      return requestJson(`/api/search?${query.toString()}`, SearchResponseSchema, {
        ...(signal ? { signal } : {}),
      });
    },

    changePassword(request) {
      return requestJson('/api/me/password', MeResponseSchema, { method: 'POST', body: request });
    },

    updateProfile(update) {
      return requestJson('/api/me', MeResponseSchema, { method: 'PATCH', body: update });
    },

    async createSite(request) {
      return (
        await requestJson('/api/sites', SiteResponseSchema, { method: 'POST', body: request })
      ).site;
    },

    async agents() {
      return (await requestJson('/api/agents', AgentListResponseSchema)).agents;
    },

    createAgent(request) {
      return requestJson('/api/agents', CreateAgentResponseSchema, {
        method: 'POST',
        body: request,
      });
    },

    async updateAgent(id, update) {
      const path = `/api/agents/${encodeURIComponent(id)}`;
      return (await requestJson(path, AgentResponseSchema, { method: 'PATCH', body: update }))
        .agent;
    },

    async createCannedResponse(request) {
      const result = await requestJson('/api/canned-responses', CannedResponseResultSchema, {
        method: 'POST',
        body: request,
      });
      return result.cannedResponse;
    },

    async updateCannedResponse(id, update) {
      const path = `/api/canned-responses/${encodeURIComponent(id)}`;
      const result = await requestJson(path, CannedResponseResultSchema, {
        method: 'PATCH',
        body: update,
      });
      return result.cannedResponse;
    },

    deleteCannedResponse(id) {
      return requestVoid(`/api/canned-responses/${encodeURIComponent(id)}`, { method: 'DELETE' });
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
