import { z } from 'zod';
import { RESPONSE_STYLES, VOICES } from './agent.model';

const REQUIRED_FIELDS = ['name', 'companyName', 'personality', 'companyInfo'] as const;
/** Keys the frontend's edit page echoes back from GET; accepted and ignored. */
const ECHOED_KEYS = ['_id', 'userId', 'createdAt', 'updatedAt', '__v', 'id'] as const;

const text = (max: number, field: string) =>
  z.string(`${field} must be a string`).trim().max(max, `${field} cannot exceed ${max} characters`);

const agentFields = {
  name: text(50, 'name'),
  companyName: text(100, 'companyName'),
  personality: text(2000, 'personality'),
  companyInfo: text(10000, 'companyInfo'),
  prompts: z
    .array(text(2000, 'prompt'), 'prompts must be an array of strings')
    .max(50, 'At most 50 prompts')
    .transform((p) => p.filter((s) => s.length > 0)),
  responseStyle: z.enum(
    RESPONSE_STYLES,
    `responseStyle must be one of ${RESPONSE_STYLES.join(', ')}`,
  ),
  settings: z
    .object({
      maxTokens: z.number().int().min(16).max(4096).optional(),
      temperature: z.number().min(0).max(2).optional(),
    })
    .strict(),
  voice: z.enum(VOICES, `voice must be one of ${VOICES.join(', ')}`),
  avatar: z
    .string()
    .trim()
    .max(500)
    .refine(
      (v) =>
        v === '' || /^(https:\/\/|\/public\/avatars\/|\/uploads\/avatars\/)[^\s<>"']+$/.test(v),
      {
        message: 'avatar must be an https URL or a /public/avatars/ path',
      },
    )
    .nullable(),
  greeting: text(500, 'greeting').nullable(),
  knowledge: z
    .object({
      faqs: z
        .array(
          z
            .object({ question: text(500, 'question').min(1), answer: text(4000, 'answer').min(1) })
            .strict(),
        )
        .max(200, 'At most 200 FAQ entries')
        .optional(),
      policies: z
        .array(
          z.object({ title: text(200, 'title').min(1), text: text(8000, 'text').min(1) }).strict(),
        )
        .max(100, 'At most 100 policies')
        .optional(),
    })
    .strict(),
  escalation: z
    .object({
      onRequest: z.boolean().optional(),
      onUrgent: z.boolean().optional(),
      negativeStreak: z.number().int().min(0).max(20).optional(),
      keywords: z.array(text(100, 'keyword').min(1)).max(50).optional(),
    })
    .strict(),
  isPublic: z.boolean('isPublic must be true or false'),
  operatorEmails: z.array(z.email('operatorEmails must be email addresses')).max(20),
};

const withoutEchoedKeys = (value: unknown) => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of ECHOED_KEYS) delete copy[key];
  // The list/GET shape carries derived operator ids; echoing them back is not an edit.
  delete copy.operators;
  return copy;
};

const base = z.object(agentFields).partial().strict();

export const createAgentBody = z
  .preprocess(withoutEchoedKeys, base)
  .superRefine((body, ctx) => {
    if (REQUIRED_FIELDS.some((f) => !body[f])) {
      ctx.addIssue({ code: 'custom', message: 'Please provide all required fields' });
    }
  })
  .openapi('AgentCreate', {
    example: {
      name: 'Ava',
      companyName: 'Acme Shoes',
      personality: 'warm, concise and practical',
      companyInfo: 'Acme Shoes sells running shoes online and ships across the US.',
      prompts: ['Always offer free exchanges within 30 days'],
    },
  });

export const updateAgentBody = z
  .preprocess(withoutEchoedKeys, base)
  .superRefine((body, ctx) => {
    for (const f of REQUIRED_FIELDS) {
      if (body[f] !== undefined && body[f] === '') {
        ctx.addIssue({ code: 'custom', message: `${f} cannot be empty`, path: [f] });
      }
    }
  })
  .openapi('AgentUpdate');

export type AgentInput = z.infer<typeof base>;

export const testAgentBody = z
  .object({
    message: z.string('message must be a string').trim().min(1, 'message is required').max(4000),
    history: z
      .array(
        z.object({ role: z.enum(['user', 'assistant']), content: z.string().max(4000) }).strict(),
      )
      .max(50)
      .optional(),
  })
  .strict()
  .openapi('AgentTestRequest');

export const AgentResponse = z
  .object({
    _id: z.string(),
    name: z.string(),
    companyName: z.string(),
    personality: z.string(),
    companyInfo: z.string(),
    prompts: z.array(z.string()),
    userId: z.string(),
    responseStyle: z.enum(RESPONSE_STYLES),
    settings: z.object({ maxTokens: z.number(), temperature: z.number() }),
    voice: z.string(),
    avatar: z.string().nullable(),
    greeting: z.string().nullable(),
    knowledge: z.object({
      faqs: z.array(z.object({ question: z.string(), answer: z.string() })),
      policies: z.array(z.object({ title: z.string(), text: z.string() })),
    }),
    escalation: z.object({
      onRequest: z.boolean(),
      onUrgent: z.boolean(),
      negativeStreak: z.number(),
      keywords: z.array(z.string()),
    }),
    isPublic: z.boolean(),
    operators: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
    __v: z.number(),
  })
  .openapi('Agent');
