import { z } from 'zod';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { AiError, COARSE_INTENTS, type AgentProfile, type MessageAnalysis } from '../engine';

/**
 * Structured analysis: the JSON schema we send (OpenAI structured outputs, strict mode) and the
 * zod schema we check the answer against. The model is never trusted: a server that ignores
 * response_format, or a small model that drifts, yields PROVIDER_BAD_RESPONSE and the wrapper
 * answers offline.
 */

export const ANALYSIS_JSON_SCHEMA: ResponseFormatJSONSchema.JSONSchema = {
  name: 'message_analysis',
  strict: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [
      'intent',
      'fineIntent',
      'sentiment',
      'urgent',
      'wantsHuman',
      'companies',
      'language',
      'confidence',
    ],
    properties: {
      intent: { type: 'string', enum: [...COARSE_INTENTS] },
      fineIntent: { type: ['string', 'null'] },
      sentiment: { type: 'string', enum: ['positive', 'negative', 'neutral'] },
      urgent: { type: 'boolean' },
      wantsHuman: { type: 'boolean' },
      companies: { type: 'array', items: { type: 'string' } },
      language: { type: 'string' },
      confidence: { type: 'number' },
    },
  },
};

/** Case and whitespace are forgiven (small models write "Negative"); anything else is not. */
const label = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(values));

const AnalysisAnswer = z.object({
  intent: label(COARSE_INTENTS as readonly [string, ...string[]]),
  fineIntent: z
    .string()
    .nullable()
    .transform((v) => (v && v.trim() && v.trim().toLowerCase() !== 'null' ? v.trim() : null)),
  sentiment: label(['positive', 'negative', 'neutral'] as const),
  urgent: z.boolean(),
  wantsHuman: z.boolean(),
  companies: z.array(z.string()),
  language: z.string(),
  confidence: z.number().min(0).max(1),
});

function normaliseLanguage(raw: string): string {
  const code = raw.trim().toLowerCase().split(/[-_]/)[0];
  return /^[a-z]{2}$/.test(code) ? code : 'und';
}

/** Whole-word, de-duplicated, the agent's own company first when the message names it. */
function normaliseCompanies(names: string[], agent?: AgentProfile): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of names.map((s) => s.trim()).filter(Boolean)) {
    const key = n.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(n);
    }
  }
  const own = agent?.companyName.toLowerCase();
  const i = own ? out.findIndex((n) => n.toLowerCase() === own) : -1;
  if (i > 0) out.unshift(...out.splice(i, 1));
  return out;
}

/** Some local models fence JSON even in JSON mode; take the outermost object. */
function extractJson(content: string): unknown {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) throw new SyntaxError('no JSON object in the answer');
  return JSON.parse(content.slice(start, end + 1));
}

export function parseAnalysis(
  content: string | null | undefined,
  agent?: AgentProfile,
): MessageAnalysis {
  let json: unknown;
  try {
    json = extractJson(content ?? '');
  } catch (err) {
    throw new AiError('PROVIDER_BAD_RESPONSE', 'analyse: answer is not JSON', { cause: err });
  }
  const parsed = AnalysisAnswer.safeParse(json);
  if (!parsed.success) {
    throw new AiError('PROVIDER_BAD_RESPONSE', 'analyse: answer does not match the schema', {
      cause: parsed.error,
    });
  }
  const a = parsed.data;
  const polarity = a.sentiment;
  return {
    intent: a.intent as MessageAnalysis['intent'],
    fineIntent: a.fineIntent,
    sentiment: a.urgent ? 'urgent' : polarity,
    polarity,
    urgent: a.urgent,
    wantsHuman: a.wantsHuman,
    companies: normaliseCompanies(a.companies, agent),
    language: normaliseLanguage(a.language),
    confidence: a.confidence,
  };
}
