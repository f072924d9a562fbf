import { z } from 'zod';
import { userStats } from '../analytics/analytics.service';
import { DEMO_AGENT } from '../agents/demo-agent';
import type { AppContext } from '../context';
import { ApiRouter, objectId, type AuthGuards } from '../http/api';
import { currentUser } from '../http/auth-guards';
import { AppError } from '../http/errors';
import { AUDIO_TYPES, memoryUpload, sniffFileType } from '../http/uploads';
import * as conversations from './conversation.service';
import { toConversationDetail, toFullConversation, toWireMessage } from './conversation.view';
import { handleCustomerMessage, startConversation } from './turn';

const idParams = z.object({ id: objectId('conversation id') });

const WireMessage = z
  .object({
    _id: z.string(),
    role: z.enum(['user', 'assistant', 'system']),
    content: z.string(),
    timestamp: z.string(),
    audioUrl: z.string().optional(),
  })
  .openapi('Message');

const ConversationFull = z
  .object({
    _id: z.string(),
    userId: z.string().nullable(),
    agentId: z.string().optional(),
    title: z.string(),
    messages: z.array(WireMessage),
    metadata: z
      .object({
        duration: z.number().int(),
        sentiment: z.enum(['positive', 'negative', 'neutral', 'urgent']),
        intents: z.array(z.string()),
        created: z.string(),
        updated: z.string(),
      })
      .passthrough(),
    status: z.enum(['active', 'handoff', 'ended']),
    channel: z.enum(['chat', 'simulator', 'voice', 'api']),
    __v: z.number(),
  })
  .passthrough()
  .openapi('Conversation');

const ConversationDetail = z
  .object({
    _id: z.string(),
    title: z.string(),
    messages: z.array(WireMessage),
    metadata: z
      .object({
        created: z.string(),
        updated: z.string(),
        duration: z.number(),
        sentiment: z.string(),
      })
      .passthrough(),
  })
  .passthrough()
  .openapi('ConversationDetail');

const StatsResponse = z
  .object({
    totalCalls: z.number().int(),
    averageDuration: z.number().int(),
    lastActivity: z.string().nullable(),
    sentimentBreakdown: z.object({
      positive: z.number(),
      negative: z.number(),
      neutral: z.number(),
      urgent: z.number(),
    }),
    totalMessages: z.number().int(),
    companiesInteractedWith: z.array(z.string()),
  })
  .openapi('UserStats');

const listQuery = z
  .object({
    agentId: objectId('agentId').optional(),
    status: z.enum(['active', 'handoff', 'ended']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
    cursor: z.string().max(200).optional(),
    envelope: z
      .enum(['true', 'false'])
      .optional()
      .describe('true: answer { items, nextCursor } instead of an array'),
  })
  .strict();

const messageBody = z
  .object({
    content: z
      .string('content must be a string')
      .trim()
      .min(1, 'content is required')
      .max(4000, 'content cannot exceed 4000 characters'),
    role: z.literal('user', 'Only role "user" may be sent; replies come from the agent').optional(),
    clientMessageId: z.string().min(1).max(100).optional(),
  })
  .strict()
  .openapi('SendMessage');

export function conversationRoutes(ctx: AppContext, guards: AuthGuards) {
  const api = new ApiRouter('/api/conversations', 'Conversations', guards);
  const upload = memoryUpload(ctx.config.files.maxFileSize);

  api.route(
    {
      method: 'get',
      path: '/',
      summary: "The caller's conversations, newest first (full documents)",
      description:
        'An array by default (what the frontend reads). At most `limit` items (default 200); when more exist, the X-Next-Cursor header carries the cursor for the next page (?cursor=...). envelope=true answers { items, nextCursor }.',
      auth: 'user',
      query: listQuery,
      responses: { 200: { description: 'Conversations', schema: z.array(ConversationFull) } },
    },
    async ({ query }, req, res) => {
      const page = await conversations.listConversations(currentUser(req).id, query);
      if (page.nextCursor) res.setHeader('X-Next-Cursor', page.nextCursor);
      const items = page.items.map(toFullConversation);
      res.json(query.envelope === 'true' ? { items, nextCursor: page.nextCursor } : items);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/',
      summary: 'Start a conversation with one of your agents (or the demo agent)',
      auth: 'user',
      body: z
        .object({
          agentId: objectId('agentId').optional(),
          isCallSimulator: z.boolean().optional(),
          title: z.string().trim().max(200).optional(),
        })
        .strict()
        .refine((b) => b.agentId || b.isCallSimulator, {
          message: 'agentId is required (or isCallSimulator: true for the demo agent)',
        }),
      responses: {
        201: { description: 'Created, with the welcome message', schema: ConversationFull },
        404: { description: "Agent not found (also another user's agent)" },
      },
    },
    async ({ body }, req, res) => {
      const started = await startConversation(ctx, {
        actor: { userId: currentUser(req).id },
        agentId: body.isCallSimulator && !body.agentId ? undefined : body.agentId,
        channel: body.agentId ? 'api' : 'simulator',
        title: body.title,
        speak: 'none',
      });
      res.status(201).json({
        ...toFullConversation(started.conversation),
        ...(started.conversation.agentId ? {} : { demoAgent: DEMO_AGENT }),
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/reanalyze-sentiment',
      summary: 'Recompute sentiment and duration of all your conversations with customer messages',
      auth: 'user',
      body: z.object({}).passthrough(),
      responses: {
        200: {
          description: 'Counts',
          schema: z.object({
            success: z.literal(true),
            message: z.string(),
            totalConversations: z.number(),
            updatedConversations: z.number(),
          }),
        },
      },
    },
    async (_input, req, res) => {
      const result = await conversations.reanalyseAll(ctx, currentUser(req).id);
      res.json({
        success: true,
        message: `Reanalyzed sentiment and fixed duration for ${result.updatedConversations} conversations`,
        ...result,
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/stats/user/:userId',
      summary: 'Dashboard stats of the caller (403 for another user id)',
      auth: 'user',
      params: z.object({ userId: z.string().max(100) }),
      responses: {
        200: { description: 'Stats', schema: StatsResponse },
        403: { description: 'Unauthorized to access other user stats' },
      },
    },
    async ({ params }, req, res) => {
      const me = currentUser(req);
      if (params.userId !== me.id)
        throw new AppError(403, 'FORBIDDEN', 'Unauthorized to access other user stats');
      res.json(await userStats(me.id));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/:id',
      summary: 'One conversation, reshaped (no system messages)',
      auth: 'user',
      params: idParams,
      responses: {
        200: { description: 'Conversation', schema: ConversationDetail },
        404: { description: 'Conversation not found' },
      },
    },
    async ({ params }, req, res) => {
      res.json(
        toConversationDetail(
          await conversations.getOwnedConversation(currentUser(req).id, params.id),
        ),
      );
    },
  );

  api.route(
    {
      method: 'put',
      path: '/:id',
      summary: 'Update title or status (active / ended)',
      auth: 'user',
      params: idParams,
      body: z
        .object({
          title: z.string().trim().min(1).max(200).optional(),
          status: z.enum(['active', 'ended']).optional(),
        })
        .strict(),
      responses: {
        200: { description: 'Updated conversation', schema: ConversationFull },
        404: { description: 'Conversation not found' },
      },
    },
    async ({ params, body }, req, res) => {
      res.json(
        toFullConversation(
          await conversations.updateConversation(currentUser(req).id, params.id, body),
        ),
      );
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/:id',
      summary: 'Delete a conversation and its audio files',
      auth: 'user',
      params: idParams,
      responses: {
        200: { description: 'Deleted', schema: z.object({ message: z.string() }) },
        404: { description: 'Conversation not found' },
      },
    },
    async ({ params }, req, res) => {
      await conversations.deleteConversation(ctx.audio, currentUser(req).id, params.id);
      res.json({ message: 'Conversation deleted successfully' });
    },
  );

  api.route(
    {
      method: 'put',
      path: '/:id/end',
      summary: 'End a conversation: final title, sentiment and duration',
      auth: 'user',
      params: idParams,
      responses: {
        200: { description: 'The saved conversation', schema: ConversationFull },
        404: { description: 'Conversation not found' },
      },
    },
    async ({ params }, req, res) => {
      res.json(
        toFullConversation(
          await conversations.endConversation(ctx, currentUser(req).id, params.id),
        ),
      );
    },
  );

  api.route(
    {
      method: 'put',
      path: '/:id/update-title',
      summary: 'Set the title, or regenerate it from the messages when none is given',
      auth: 'user',
      params: idParams,
      body: z.object({ title: z.string().trim().min(1).max(200).optional() }).strict(),
      responses: {
        200: {
          description: 'Title',
          schema: z.object({ success: z.literal(true), title: z.string(), message: z.string() }),
        },
        404: { description: 'Conversation not found' },
      },
    },
    async ({ params, body }, req, res) => {
      const title = await conversations.retitle(ctx, currentUser(req).id, params.id, body.title);
      res.json({ success: true, title, message: 'Conversation title updated successfully' });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/:id/rating',
      summary: "Record the customer's satisfaction rating (1-5)",
      auth: 'user',
      params: idParams,
      body: z.object({ rating: z.number().int().min(1).max(5) }).strict(),
      responses: {
        200: {
          description: 'Saved',
          schema: z.object({ satisfaction: z.number(), satisfactionSource: z.literal('rating') }),
        },
        404: { description: 'Conversation not found' },
      },
    },
    async ({ params, body }, req, res) => {
      const c = await conversations.rateConversation(currentUser(req).id, params.id, body.rating);
      res.json({ satisfaction: c.metadata.satisfaction, satisfactionSource: 'rating' });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/:id/messages',
      summary: 'The raw messages of a conversation',
      auth: 'user',
      params: idParams,
      responses: {
        200: { description: 'Messages', schema: z.array(WireMessage) },
        404: { description: 'Conversation not found' },
      },
    },
    async ({ params }, req, res) => {
      const c = await conversations.getOwnedConversation(currentUser(req).id, params.id);
      res.json(
        c.messages.map((m) => ({
          ...toWireMessage(m),
          ...(m.metadata ? { metadata: m.metadata } : {}),
        })),
      );
    },
  );

  api.route(
    {
      method: 'post',
      path: '/:id/messages',
      summary:
        "Send a customer message and get the agent's reply (the same turn pipeline as the sockets)",
      description:
        'Only role "user" is accepted. clientMessageId makes a resend idempotent: the stored reply is returned again. While a human has the conversation (status handoff), the reply is null.',
      auth: 'user',
      params: idParams,
      body: messageBody,
      responses: {
        201: {
          description:
            'The assistant message (with a served audioUrl) and the analysis of the customer message',
          schema: z
            .object({
              role: z.literal('assistant').nullable(),
              content: z.string().nullable(),
              timestamp: z.string().nullable(),
              audioUrl: z.string().nullable(),
              title: z.string(),
              status: z.string(),
              duplicate: z.boolean(),
            })
            .passthrough(),
        },
        404: { description: 'Conversation not found' },
        409: { description: 'The conversation has ended' },
      },
    },
    async ({ params, body }, req, res) => {
      const turn = await handleCustomerMessage(ctx, {
        actor: { userId: currentUser(req).id },
        conversationId: params.id,
        text: body.content,
        clientMessageId: body.clientMessageId,
        speak: 'file',
      });
      res.status(turn.duplicate ? 200 : 201).json({
        role: turn.reply ? 'assistant' : null,
        content: turn.reply?.content ?? null,
        timestamp: turn.reply ? turn.reply.timestamp.toISOString() : null,
        audioUrl: turn.reply?.audioUrl ?? turn.speech.audioUrl ?? null,
        title: turn.title,
        status: turn.status,
        duplicate: turn.duplicate,
        messageId: turn.reply?._id.toString() ?? null,
        userMessageId: turn.userMessage._id.toString(),
        handoffReason: turn.handoffReason,
        analysis: turn.analysis,
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/:id/audio',
      summary:
        'Upload the customer\'s recorded audio (field "audio") with its transcript; returns the reply\'s audio',
      description:
        'Runs a turn through the pipeline. Without a transcript the audio is transcribed when a provider can (OpenAI-compatible); the offline engine cannot and answers 422 TRANSCRIPTION_UNAVAILABLE. Accepted: MP3, WAV, OGG, WebM, MP4/M4A up to MAX_FILE_SIZE.',
      auth: 'user',
      params: idParams,
      bodyContentType: 'multipart/form-data',
      body: z
        .object({
          audio: z.unknown().openapi({ type: 'string', format: 'binary' }),
          transcript: z.string().max(4000).optional(),
        })
        .partial(),
      before: [upload.single('audio')],
      responses: {
        200: {
          description: "The reply's audio",
          schema: z
            .object({ audioUrl: z.string().nullable(), userAudioUrl: z.string() })
            .passthrough(),
        },
        404: { description: 'Conversation not found' },
        413: { description: 'File too large' },
        415: { description: 'Not an accepted audio type' },
        422: { description: 'No transcript and no transcription provider' },
      },
    },
    async ({ params, body }, req, res) => {
      const userId = currentUser(req).id;
      // Check ownership first: nothing is stored for a conversation the caller cannot use.
      await conversations.getOwnedConversation(userId, params.id);
      const file = req.file;
      if (!file)
        throw new AppError(400, 'VALIDATION_FAILED', 'An audio file is required in field "audio"');
      const type = sniffFileType(file.buffer);
      if (!type || !AUDIO_TYPES.includes(type)) {
        throw new AppError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'audio must be MP3, WAV, OGG, WebM or MP4/M4A',
        );
      }
      let transcript = typeof body.transcript === 'string' ? body.transcript.trim() : '';
      if (!transcript) {
        try {
          transcript = (
            await ctx.ai.transcribe({
              audio: file.buffer,
              mimeType: file.mimetype,
              fileName: `audio.${type}`,
            })
          ).trim();
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (code === 'TRANSCRIPTION_UNAVAILABLE') {
            throw new AppError(
              422,
              'TRANSCRIPTION_UNAVAILABLE',
              'No transcript was sent and transcription is not available: send a transcript or configure OPENAI_API_KEY / OPENAI_BASE_URL',
            );
          }
          throw new AppError(
            503,
            'SERVICE_UNAVAILABLE',
            'Transcription failed; please send a transcript',
          );
        }
        if (!transcript)
          throw new AppError(422, 'VALIDATION_FAILED', 'No speech was recognised in the audio');
      }
      const userAudioUrl = await ctx.audio.save(
        file.buffer,
        type === 'm4a' ? 'm4a' : (type as 'mp3' | 'wav' | 'ogg' | 'webm' | 'mp4'),
      );
      try {
        const turn = await handleCustomerMessage(ctx, {
          actor: { userId },
          conversationId: params.id,
          text: transcript.slice(0, 4000),
          userAudioUrl,
          speak: 'file',
        });
        res.json({
          audioUrl: turn.reply?.audioUrl ?? null,
          userAudioUrl,
          message: turn.reply?.content ?? null,
          transcript,
        });
      } catch (err) {
        await ctx.audio.remove([userAudioUrl]);
        throw err;
      }
    },
  );

  return api.router;
}
