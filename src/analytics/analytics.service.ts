import { Types, type PipelineStage } from 'mongoose';
import { ConversationFact } from './fact.model';

/**
 * Analytics computed by the database over conversation_facts. Each figure is its own small
 * aggregation with a single accumulator: FerretDB v1 computes only the first accumulator of a
 * $group correctly, and has no $avg/$max/$facet, so averages are sum / count done here.
 */

type Match = Record<string, unknown>;

async function groupCount(
  match: Match,
  field: string,
  unwind = false,
): Promise<Record<string, number>> {
  const pipeline: PipelineStage[] = [{ $match: match }];
  if (unwind) pipeline.push({ $unwind: `$${field}` });
  pipeline.push({ $group: { _id: `$${field}`, n: { $sum: 1 } } });
  const rows = await ConversationFact.aggregate<{ _id: string | null; n: number }>(pipeline);
  const out: Record<string, number> = {};
  for (const r of rows) if (r._id !== null && r._id !== undefined) out[String(r._id)] = r.n;
  return out;
}

async function groupSum(
  match: Match,
  field: string,
  by: string | null = null,
): Promise<Record<string, number>> {
  const rows = await ConversationFact.aggregate<{ _id: string | null; s: number }>([
    { $match: match },
    { $group: { _id: by ? `$${by}` : null, s: { $sum: `$${field}` } } },
  ]);
  const out: Record<string, number> = {};
  for (const r of rows) out[String(r._id)] = r.s;
  return out;
}

const total = (sums: Record<string, number>) => sums['null'] ?? 0;

async function meanOf(
  match: Match,
  field: string,
): Promise<{ mean: number | null; count: number }> {
  const withValue = { ...match, [field]: { $type: 'number' } };
  const [count, sums] = await Promise.all([
    ConversationFact.countDocuments(withValue),
    groupSum(withValue, field),
  ]);
  return { mean: count > 0 ? total(sums) / count : null, count };
}

const SENTIMENT_KEYS = ['positive', 'negative', 'neutral', 'urgent'] as const;

/** The dashboard's six fields (GET /api/conversations/stats/user/:id). */
export async function userStats(userId: Types.ObjectId | string) {
  const match = { userId: new Types.ObjectId(userId) };
  const [totalCalls, durations, messages, latest, sentiments, companies] = await Promise.all([
    ConversationFact.countDocuments(match),
    groupSum(match, 'duration'),
    groupSum(match, 'messages'),
    ConversationFact.findOne(match, { updated: 1 }).sort({ updated: -1 }),
    groupCount(match, 'sentiment'),
    groupCount(match, 'companies', true),
  ]);
  const sentimentBreakdown = { positive: 0, negative: 0, neutral: 0, urgent: 0 };
  for (const [label, n] of Object.entries(sentiments)) {
    const key = (SENTIMENT_KEYS as readonly string[]).includes(label)
      ? (label as keyof typeof sentimentBreakdown)
      : 'neutral';
    sentimentBreakdown[key] += n;
  }
  return {
    totalCalls,
    averageDuration: totalCalls > 0 ? Math.round(total(durations) / totalCalls) : 0,
    lastActivity: latest ? latest.updated.toISOString() : null,
    sentimentBreakdown,
    totalMessages: total(messages),
    companiesInteractedWith: Object.keys(companies).sort(),
  };
}

export interface OverviewQuery {
  userId: Types.ObjectId;
  agentId?: Types.ObjectId;
  from: string;
  to: string;
}

/** GET /api/analytics/overview (and per agent): definitions in README "Analytics". */
export async function overview(q: OverviewQuery) {
  const match: Match = { userId: q.userId, day: { $gte: q.from, $lte: q.to } };
  if (q.agentId) match.agentId = q.agentId;
  const [
    conversations,
    perDay,
    messagesPerDay,
    sentiment,
    intents,
    channels,
    duration,
    firstResponse,
    handoffs,
    satisfaction,
  ] = await Promise.all([
    ConversationFact.countDocuments(match),
    groupCount(match, 'day'),
    groupSum(match, 'messages', 'day'),
    groupCount(match, 'sentiment'),
    groupCount(match, 'intents', true),
    groupCount(match, 'channel'),
    meanOf(match, 'duration'),
    meanOf(match, 'firstResponseMs'),
    ConversationFact.countDocuments({ ...match, handoff: true }),
    meanOf(match, 'satisfaction'),
  ]);
  const days = Object.keys(perDay).sort();
  return {
    range: { from: q.from, to: q.to },
    totals: {
      conversations,
      messages: Object.values(messagesPerDay).reduce((a, b) => a + b, 0),
      handoffs,
    },
    byDay: days.map((day) => ({
      day,
      conversations: perDay[day] ?? 0,
      messages: messagesPerDay[day] ?? 0,
    })),
    sentiment: { positive: 0, negative: 0, neutral: 0, urgent: 0, ...sentiment },
    intents,
    channels,
    averageDurationSeconds: duration.mean === null ? null : Math.round(duration.mean),
    averageFirstResponseMs: firstResponse.mean === null ? null : Math.round(firstResponse.mean),
    handoffRate: conversations > 0 ? handoffs / conversations : 0,
    satisfaction: {
      average: satisfaction.mean === null ? null : Math.round(satisfaction.mean * 100) / 100,
      rated: satisfaction.count,
    },
  };
}
