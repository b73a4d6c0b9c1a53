import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { SearchQuerySchema, type SearchQuery, type SearchResponse } from '@parley/protocol';
import { AgentGuard } from '../auth/agent.guard';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { SearchService } from './search.service';

/** `GET /api/search?q=&limit=&offset=&siteId=&status=`: any signed-in agent. */
@Controller('api/search')
@UseGuards(AgentGuard)
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  find(
    @Query(new ZodValidationPipe(SearchQuerySchema, 'search')) query: SearchQuery,
  ): Promise<SearchResponse> {
    return this.search.search(query);
  }
}
