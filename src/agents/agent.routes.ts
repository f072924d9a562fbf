import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { AppContext } from '../context';
import { previewTurn } from '../conversations/turn';
import { ApiRouter, objectId, type AuthGuards } from '../http/api';
import { currentUser } from '../http/auth-guards';
import { AppError } from '../http/errors';
import { IMAGE_TYPES, memoryUpload, sniffFileType } from '../http/uploads';
import { AgentResponse, createAgentBody, testAgentBody, updateAgentBody } from './agent.schema';
import * as agents from './agent.service';

const idParams = z.object({ id: objectId('agent id') });
const MAX_AVATAR_BYTES = 2 * 1024 * 1024;

export function agentRoutes(ctx: AppContext, guards: AuthGuards) {
  const api = new ApiRouter('/api/agents', 'Agents', guards);

  api.route(
    {
      method: 'get',
      path: '/',
      summary: "The caller's agents, newest first",
      auth: 'user',
      responses: { 200: { description: 'Agents', schema: z.array(AgentResponse) } },
    },
    async (_input, req, res) => {
      res.json(await agents.listAgents(currentUser(req).id));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/',
      summary: 'Create an agent',
      description:
        'name, companyName, personality and companyInfo are required ("Please provide all required fields"). Agents are public by default: customers may chat with them without an account (set isPublic: false to restrict chat to your own signed-in sockets).',
      auth: 'user',
      body: createAgentBody,
      responses: { 201: { description: 'Created', schema: AgentResponse } },
    },
    async ({ body }, req, res) => {
      res.status(201).json(await agents.createAgent(currentUser(req).id, body));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/:id',
      summary: "One of the caller's agents",
      auth: 'user',
      params: idParams,
      responses: {
        200: { description: 'Agent', schema: AgentResponse },
        404: { description: "Agent not found (also another user's agent)" },
      },
    },
    async ({ params }, req, res) => {
      res.json(await agents.getOwnedAgent(currentUser(req).id, params.id));
    },
  );

  api.route(
    {
      method: 'put',
      path: '/:id',
      summary:
        'Update an agent (partial; _id, userId, createdAt, updatedAt, __v in the body are ignored)',
      auth: 'user',
      params: idParams,
      body: updateAgentBody,
      responses: {
        200: { description: 'Updated agent', schema: AgentResponse },
        404: { description: 'Agent not found' },
      },
    },
    async ({ params, body }, req, res) => {
      res.json(await agents.updateAgent(currentUser(req).id, params.id, body));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/:id',
      summary: 'Delete an agent; its conversations are kept and marked agentDeleted',
      auth: 'user',
      params: idParams,
      responses: {
        200: {
          description: 'Deleted',
          schema: z.object({ message: z.string(), conversationsKept: z.number() }),
        },
        404: { description: 'Agent not found' },
      },
    },
    async ({ params }, req, res) => {
      const { conversationsKept } = await agents.deleteAgent(currentUser(req).id, params.id);
      res.json({ message: 'Agent deleted successfully', conversationsKept });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/:id/test',
      summary: 'Preview one turn of the agent on a sample message (nothing is stored)',
      auth: 'user',
      params: idParams,
      body: testAgentBody,
      responses: {
        200: {
          description: 'The reply and the analysis of the message',
          schema: z.object({
            reply: z.string(),
            action: z.enum(['continue', 'handoff', 'resolve']),
            sources: z.array(z.string()),
            handoffReason: z.string().nullable(),
            analysis: z.record(z.string(), z.unknown()),
            provider: z.string(),
          }),
        },
        404: { description: 'Agent not found' },
      },
    },
    async ({ params, body }, req, res) => {
      const agent = await agents.getOwnedAgent(currentUser(req).id, params.id);
      const preview = await previewTurn(ctx, agent, body.message, body.history ?? []);
      res.json({ ...preview, provider: ctx.ai.name });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/:id/avatar',
      summary: 'Upload an avatar image (PNG, JPEG, GIF or WebP, at most 2 MB; field "avatar")',
      auth: 'user',
      params: idParams,
      bodyContentType: 'multipart/form-data',
      body: z
        .object({ avatar: z.unknown().openapi({ type: 'string', format: 'binary' }) })
        .partial(),
      before: [memoryUpload(MAX_AVATAR_BYTES).single('avatar')],
      responses: {
        200: { description: 'Updated agent', schema: AgentResponse },
        404: { description: 'Agent not found' },
        413: { description: 'File too large' },
        415: { description: 'Not an accepted image type' },
      },
    },
    async ({ params }, req, res) => {
      const agent = await agents.getOwnedAgent(currentUser(req).id, params.id);
      const file = req.file;
      if (!file)
        throw new AppError(400, 'VALIDATION_FAILED', 'An image file is required in field "avatar"');
      const type = sniffFileType(file.buffer);
      if (!type || !IMAGE_TYPES.includes(type)) {
        throw new AppError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'Avatar must be a PNG, JPEG, GIF or WebP image',
        );
      }
      const dir = path.join(ctx.config.files.uploadPath, 'avatars');
      await mkdir(dir, { recursive: true });
      const name = `${randomBytes(12).toString('hex')}.${type === 'jpeg' ? 'jpg' : type}`;
      await writeFile(path.join(dir, name), file.buffer);
      const previous = agent.avatar;
      agent.avatar = `/uploads/avatars/${name}`;
      await agent.save();
      if (previous?.startsWith('/uploads/avatars/')) {
        await rm(path.join(dir, path.basename(previous)), { force: true });
      }
      res.json(agent);
    },
  );

  return api.router;
}
