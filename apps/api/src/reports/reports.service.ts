import { Injectable } from '@nestjs/common';
import type { ReportFigures, ReportQuery, ReportResponse } from '@parley/protocol';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../services/database/prisma.service';

interface FiguresRow {
  day: Date | null;
  conversations: number;
  responded: number;
  medianFirstResponseSeconds: number | null;
  resolved: number;
  medianResolutionSeconds: number | null;
  ratings: number;
  satisfactionAverage: number | null;
}

const EMPTY: ReportFigures = {
  conversations: 0,
  responded: 0,
  medianFirstResponseSeconds: null,
  resolved: 0,
  medianResolutionSeconds: null,
  ratings: 0,
  satisfactionAverage: null,
};

function figuresOf(row: FiguresRow | undefined): ReportFigures {
  if (!row) return EMPTY;
  return {
    conversations: row.conversations,
    responded: row.responded,
    medianFirstResponseSeconds: row.medianFirstResponseSeconds,
    resolved: row.resolved,
    medianResolutionSeconds: row.medianResolutionSeconds,
    ratings: row.ratings,
    satisfactionAverage: row.satisfactionAverage,
  };
}

/** The days from `from` to `to` (both included), as YYYY-MM-DD. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * Report figures computed by PostgreSQL over the conversations created in the period (days in
 * the reader's time zone, UTC by default; times are stored in UTC): how many per day; the median first response time (from the visitor's first message to
 * the first agent reply after it, internal notes left out); the median resolution time (from
 * creation to `resolvedAt`, for those resolved now); the average satisfaction rating.
 */
@Injectable()
export class ReportsService {
  constructor(private readonly prisma: PrismaService) {}

  async report(query: ReportQuery): Promise<ReportResponse> {
    const site = query.siteId ?? null;
    const agent = query.agentId ?? null;
    const zone = query.timeZone ?? 'UTC';
    // The period's ends as UTC instants (the index on created_at serves the range), and each
    // conversation's day in the reader's zone.
    const rows = await this.prisma.$queryRaw<FiguresRow[]>(Prisma.sql`
      WITH scope AS (
        SELECT c.id, c.created_at, c.status, c.resolved_at, c.satisfaction_rating,
          date_trunc('day', (c.created_at AT TIME ZONE 'UTC') AT TIME ZONE ${zone}) AS day
        FROM conversations c
        WHERE c.created_at >= ((${query.from}::date)::timestamp AT TIME ZONE ${zone}) AT TIME ZONE 'UTC'
          AND c.created_at < ((${query.to}::date + 1)::timestamp AT TIME ZONE ${zone}) AT TIME ZONE 'UTC'
          AND (${site}::text IS NULL OR c.site_id = ${site}::text)
          AND (${agent}::text IS NULL OR c.assignee_id = ${agent}::text)
      ),
      first_visitor AS (
        SELECT m.conversation_id, min(m.created_at) AS at
        FROM messages m JOIN scope s ON s.id = m.conversation_id
        WHERE m.author_kind = 'VISITOR'
        GROUP BY m.conversation_id
      ),
      first_response AS (
        SELECT fv.conversation_id, min(m.created_at) - fv.at AS wait
        FROM first_visitor fv
        JOIN messages m ON m.conversation_id = fv.conversation_id
          AND m.author_kind = 'AGENT' AND NOT m.internal AND m.created_at >= fv.at
        GROUP BY fv.conversation_id, fv.at
      ),
      figures AS (
        SELECT s.day,
          extract(epoch FROM fr.wait)::float8 AS first_response,
          CASE WHEN s.status = 'RESOLVED' AND s.resolved_at IS NOT NULL
            THEN extract(epoch FROM s.resolved_at - s.created_at)::float8 END AS resolution,
          s.satisfaction_rating AS rating
        FROM scope s LEFT JOIN first_response fr ON fr.conversation_id = s.id
      )
      SELECT day,
        count(*)::int AS conversations,
        count(first_response)::int AS responded,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response) AS "medianFirstResponseSeconds",
        count(resolution)::int AS resolved,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution) AS "medianResolutionSeconds",
        count(rating)::int AS ratings,
        avg(rating)::float8 AS "satisfactionAverage"
      FROM figures
      GROUP BY GROUPING SETS ((day), ())`);
    const [sites, agents] = await Promise.all([
      this.prisma.site.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
      this.prisma.agent.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
    ]);
    const byDay = new Map<string, FiguresRow>();
    let totals: FiguresRow | undefined;
    for (const row of rows) {
      if (row.day === null) totals = row;
      else byDay.set(row.day.toISOString().slice(0, 10), row);
    }
    return {
      from: query.from,
      to: query.to,
      siteId: site,
      agentId: agent,
      timeZone: zone,
      totals: figuresOf(totals),
      days: daysBetween(query.from, query.to).map((date) => ({
        date,
        ...figuresOf(byDay.get(date)),
      })),
      options: { sites, agents },
    };
  }
}
