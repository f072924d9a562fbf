import { Types } from 'mongoose';
import type { AgentProfile } from '../ai/engine';
import { User } from '../auth/user.model';
import { Conversation } from '../conversations/conversation.model';
import { AppError } from '../http/errors';
import { Agent, type AgentDocument } from './agent.model';
import type { AgentInput } from './agent.schema';

const agentNotFound = () => new AppError(404, 'NOT_FOUND', 'Agent not found');

export async function listAgents(userId: string): Promise<AgentDocument[]> {
  return Agent.find({ userId }).sort({ createdAt: -1 });
}

/** The agent if the caller owns it; anyone else gets the same 404 as for a missing agent. */
export async function getOwnedAgent(userId: string, agentId: string): Promise<AgentDocument> {
  if (!Types.ObjectId.isValid(agentId)) throw agentNotFound();
  const agent = await Agent.findOne({ _id: agentId, userId });
  if (!agent) throw agentNotFound();
  return agent;
}

async function operatorIds(emails: string[] | undefined): Promise<Types.ObjectId[] | undefined> {
  if (!emails) return undefined;
  const normalised = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  const users = await User.find({ email: { $in: normalised } }, { _id: 1, email: 1 });
  const missing = normalised.filter((e) => !users.some((u) => u.email === e));
  if (missing.length > 0) {
    throw new AppError(
      400,
      'VALIDATION_FAILED',
      `No account for operator email: ${missing.join(', ')}`,
    );
  }
  return users.map((u) => u._id);
}

function applyInput(agent: AgentDocument, input: AgentInput, operators?: Types.ObjectId[]): void {
  const { operatorEmails: _emails, settings, knowledge, escalation, ...plain } = input;
  for (const [key, value] of Object.entries(plain)) {
    if (value !== undefined) agent.set(key, value);
  }
  if (settings) for (const [k, v] of Object.entries(settings)) agent.set(`settings.${k}`, v);
  if (escalation) for (const [k, v] of Object.entries(escalation)) agent.set(`escalation.${k}`, v);
  if (knowledge) for (const [k, v] of Object.entries(knowledge)) agent.set(`knowledge.${k}`, v);
  if (operators) agent.set('operators', operators);
}

export async function createAgent(userId: string, input: AgentInput): Promise<AgentDocument> {
  const operators = await operatorIds(input.operatorEmails);
  const agent = new Agent({ userId });
  applyInput(agent, input, operators);
  return agent.save();
}

export async function updateAgent(
  userId: string,
  agentId: string,
  input: AgentInput,
): Promise<AgentDocument> {
  const agent = await getOwnedAgent(userId, agentId);
  applyInput(agent, input, await operatorIds(input.operatorEmails));
  return agent.save();
}

/**
 * Deleting an agent keeps its conversations (they are the owner's history and analytics) and
 * marks them: agentDeleted = true, with the agent's name and company kept in agentSnapshot.
 * Open handoffs of that agent are closed.
 */
export async function deleteAgent(
  userId: string,
  agentId: string,
): Promise<{ conversationsKept: number }> {
  const agent = await getOwnedAgent(userId, agentId);
  const marked = await Conversation.updateMany(
    { agentId: agent._id },
    {
      $set: {
        agentDeleted: true,
        'agentSnapshot.name': agent.name,
        'agentSnapshot.companyName': agent.companyName,
      },
    },
  );
  await Conversation.updateMany(
    { agentId: agent._id, status: 'handoff' },
    { $set: { status: 'ended' } },
  );
  await agent.deleteOne();
  return { conversationsKept: marked.modifiedCount };
}

export function toAgentProfile(agent: AgentDocument): AgentProfile {
  return {
    name: agent.name,
    companyName: agent.companyName,
    personality: agent.personality,
    companyInfo: agent.companyInfo,
    prompts: [...agent.prompts],
    responseStyle: agent.responseStyle as AgentProfile['responseStyle'],
    greeting: agent.greeting ?? undefined,
    knowledge: {
      faqs: (agent.knowledge?.faqs ?? []).map((f) => ({ question: f.question, answer: f.answer })),
      policies: (agent.knowledge?.policies ?? []).map((p) => ({ title: p.title, text: p.text })),
    },
    voice: agent.voice ?? 'alloy',
    settings: {
      maxTokens: agent.settings?.maxTokens ?? 400,
      temperature: agent.settings?.temperature ?? 0.7,
    },
  };
}
