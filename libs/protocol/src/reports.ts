import { z } from 'zod';
import { TimeZoneSchema } from './business-hours';
import { IdSchema } from './common';

/** Longest period a report covers, in days. */
export const REPORT_DAYS_MAX = 366;

const DaySchema = z.iso.date();

/**
 * `GET /api/reports?from=2026-11-01&to=2026-11-30&timeZone=Europe/Paris` (any agent): figures of
 * the conversations created from `from` to `to` (whole days in `timeZone`, UTC by default, both
 * included), of one site and of one assignee when given.
 */
export const ReportQuerySchema = z
  .object({
    from: DaySchema,
    to: DaySchema,
    siteId: IdSchema.optional(),
    /** Conversations assigned to this agent. */
    agentId: IdSchema.optional(),
    /** The days are this zone's (the reader's own); UTC when absent. */
    timeZone: TimeZoneSchema.optional(),
  })
  .superRefine((value, ctx) => {
    const days = (Date.parse(value.to) - Date.parse(value.from)) / 86_400_000 + 1;
    if (days < 1) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be on or after from' });
    } else if (days > REPORT_DAYS_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `a report covers at most ${REPORT_DAYS_MAX} days`,
      });
    }
  });
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/** Figures of a set of conversations; medians and averages are null when nothing counts. */
export const ReportFiguresSchema = z.object({
  /** Conversations created. */
  conversations: z.number().int().min(0),
  /** Of those, answered by an agent after the visitor's first message. */
  responded: z.number().int().min(0),
  /** Median of the time from the visitor's first message to the first agent reply after it. */
  medianFirstResponseSeconds: z.number().nullable(),
  /** Of those, resolved now. */
  resolved: z.number().int().min(0),
  /** Median of the time from creation to resolution. */
  medianResolutionSeconds: z.number().nullable(),
  /** Of those, rated by the visitor. */
  ratings: z.number().int().min(0),
  /** Average satisfaction rating, 1 to 5. */
  satisfactionAverage: z.number().nullable(),
});
export type ReportFigures = z.infer<typeof ReportFiguresSchema>;

export const ReportDaySchema = ReportFiguresSchema.extend({ date: DaySchema });
export type ReportDay = z.infer<typeof ReportDaySchema>;

export const ReportResponseSchema = z.object({
  from: DaySchema,
  to: DaySchema,
  siteId: IdSchema.nullable(),
  agentId: IdSchema.nullable(),
  timeZone: z.string(),
  totals: ReportFiguresSchema,
  /** One entry per day of the period, in order, days with nothing included. */
  days: z.array(ReportDaySchema),
  /** What the filters can choose from: every site, and every agent. */
  options: z.object({
    sites: z.array(z.object({ id: IdSchema, name: z.string() })),
    agents: z.array(z.object({ id: IdSchema, name: z.string() })),
  }),
});
export type ReportResponse = z.infer<typeof ReportResponseSchema>;
