import { Conversation } from '../../src/conversations/conversation.model';
import { createAgent, registerUser, startTestApp, type TestApp } from '../support/app';
import { eventsNamed, useSocketTestApp } from '../support/sockets';

const suite = useSocketTestApp(() => startTestApp());
let app: TestApp;
beforeAll(() => {
  app = suite.app;
});
const open = (token?: string) => suite.open({ token });

describe('human handoff end to end: customer, owner, operator', () => {
  it('hands off on request, lets an invited operator answer as the agent, and releases to the AI', async () => {
    const owner = await registerUser(app, 'Olivia Owner');
    const operator = await registerUser(app, 'Oscar Operator');
    const agent = await createAgent(app, owner, {
      name: 'Nova',
      companyName: 'Acme',
      personality: 'kind',
      companyInfo: 'Acme sells blenders.',
      operatorEmails: [operator.email],
    });
    expect(agent.operators).toEqual([operator.id]);

    const ownerSocket = await open(owner.token);
    const operatorSocket = await open(operator.token);
    const customer = await open();
    customer.socket.emit('start_conversation', { agentId: agent._id });
    const { conversationId } = await customer.next<{ conversationId: string }>(
      'conversation_started',
    );

    customer.socket.emit('user_message', {
      conversationId,
      message: 'I want to talk to a real person please',
    });
    const notice = await customer.next<{ message: string }>('ai_response');
    expect(notice.message).toMatch(/team/i);
    expect(await customer.next('handoff_started')).toEqual({
      conversationId,
      reason: 'customer_request',
    });
    for (const s of [ownerSocket, operatorSocket]) {
      expect(await s.next('handoff_requested')).toMatchObject({
        conversationId,
        reason: 'customer_request',
        agentId: agent._id,
      });
    }
    expect((await Conversation.findById(conversationId))!.status).toBe('handoff');

    // The queue shows it to the operator over REST too.
    const queue = await app.http.get('/api/handoffs').set(operator.auth);
    expect(queue.body.map((c: { _id: string }) => c._id)).toEqual([conversationId]);

    const joined = await operatorSocket.emitAck<{ ok: boolean }>('join_conversation', {
      conversationId,
    });
    expect(joined.ok).toBe(true);
    const history = await operatorSocket.next<{ messages: Array<{ content: string }> }>(
      'conversation_history',
    );
    expect(history.messages.map((m) => m.content)).toContain(
      'I want to talk to a real person please',
    );

    // While a human has it, the AI is silent: the message reaches the operator.
    customer.socket.emit('user_message', { conversationId, message: 'My blender is smoking' });
    expect(await customer.next('error')).toMatchObject({ code: 'HANDOFF_ACTIVE' });
    expect(await customer.next('typing')).toBe(false);
    expect(await operatorSocket.next('customer_message')).toMatchObject({
      conversationId,
      message: { content: 'My blender is smoking' },
    });

    operatorSocket.socket.emit('operator_typing', { conversationId, typing: true });
    expect(await customer.next('typing')).toBe(true);

    const sent = await operatorSocket.emitAck<{ ok: boolean; messageId: string }>(
      'operator_message',
      { conversationId, message: 'Unplug it now, I am sending a replacement.' },
    );
    expect(sent.ok).toBe(true);
    // Answering takes the conversation over first, then the reply is spoken to the customer.
    expect(await customer.next('handoff_taken')).toMatchObject({
      conversationId,
      operatorId: operator.id,
      operatorName: 'Oscar Operator',
    });
    const fromOperator = await customer.next<Record<string, unknown>>('ai_response');
    expect(fromOperator).toMatchObject({
      message: 'Unplug it now, I am sending a replacement.',
      operator: true,
      audioType: 'audio/mpeg',
    });
    const stored = await Conversation.findById(conversationId);
    const last = stored!.messages[stored!.messages.length - 1]!;
    expect(last).toMatchObject({
      role: 'assistant',
      content: 'Unplug it now, I am sending a replacement.',
    });
    expect(last.metadata?.operatorId?.toString()).toBe(operator.id);

    const released = await operatorSocket.emitAck<{ ok: boolean }>('release_conversation', {
      conversationId,
    });
    expect(released.ok).toBe(true);
    expect(await customer.next('handoff_released')).toEqual({ conversationId });
    customer.socket.emit('user_message', {
      conversationId,
      message: 'Thanks! Do you also sell juicers?',
    });
    const aiAgain = await customer.next<Record<string, unknown>>('ai_response');
    expect(aiAgain.operator).toBeUndefined();
    expect((await Conversation.findById(conversationId))!.status).toBe('active');
  });

  it('REST take-over and reply reach the customer; strangers get 404', async () => {
    const owner = await registerUser(app);
    const stranger = await registerUser(app);
    const agent = await createAgent(app, owner, {
      name: 'Nova',
      companyName: 'Acme',
      personality: 'kind',
      companyInfo: 'Acme sells blenders.',
    });
    const customer = await open();
    customer.socket.emit('start_conversation', { agentId: agent._id });
    const { conversationId } = await customer.next<{ conversationId: string }>(
      'conversation_started',
    );
    for (const path of [
      `/api/handoffs/${conversationId}/take`,
      `/api/handoffs/${conversationId}/release`,
    ]) {
      expect((await app.http.post(path).set(stranger.auth)).status).toBe(404);
    }
    expect(
      (
        await app.http
          .post(`/api/handoffs/${conversationId}/messages`)
          .set(stranger.auth)
          .send({ content: 'hi' })
      ).status,
    ).toBe(404);
    expect((await app.http.get('/api/handoffs').set(stranger.auth)).body).toEqual([]);

    const taken = await app.http.post(`/api/handoffs/${conversationId}/take`).set(owner.auth);
    expect(taken.status).toBe(200);
    expect(taken.body.status).toBe('handoff');
    const reply = await app.http
      .post(`/api/handoffs/${conversationId}/messages`)
      .set(owner.auth)
      .send({ content: 'Hello from a human' });
    expect(reply.status).toBe(201);
    expect(await customer.next('ai_response')).toMatchObject({
      message: 'Hello from a human',
      operator: true,
    });
    const released = await app.http.post(`/api/handoffs/${conversationId}/release`).set(owner.auth);
    expect(released.body.status).toBe('active');
    expect(
      (await app.http.post(`/api/handoffs/${conversationId}/release`).set(owner.auth)).status,
    ).toBe(409);
  });

  it('hands off when the agent rules say so: a keyword, or negativity that persists', async () => {
    const owner = await registerUser(app);
    const agent = await createAgent(app, owner, {
      name: 'Nova',
      companyName: 'Acme',
      personality: 'kind',
      companyInfo: 'Acme sells blenders.',
      escalation: { keywords: ['lawyer'], negativeStreak: 2 },
    });
    const customer = await open();
    customer.socket.emit('start_conversation', { agentId: agent._id });
    const first = await customer.next<{ conversationId: string }>('conversation_started');
    customer.socket.emit('user_message', {
      conversationId: first.conversationId,
      message: 'I will call my lawyer about this order',
    });
    expect(await customer.next('handoff_started')).toEqual({
      conversationId: first.conversationId,
      reason: 'keyword',
    });

    customer.socket.emit('start_conversation', { agentId: agent._id });
    const second = await customer.next<{ conversationId: string }>('conversation_started');
    customer.socket.emit('user_message', {
      conversationId: second.conversationId,
      message: 'This blender is terrible and the delivery was awful.',
    });
    await customer.next('ai_response');
    expect(eventsNamed(customer, 'handoff_started')).toHaveLength(1);
    customer.socket.emit('user_message', {
      conversationId: second.conversationId,
      message: 'Still broken. Worst purchase ever, I am so disappointed.',
    });
    expect(await customer.next('handoff_started')).toEqual({
      conversationId: second.conversationId,
      reason: 'negative_streak',
    });
  });

  it('tells everyone in the conversation when it ends', async () => {
    const owner = await registerUser(app);
    const customer = await open(owner.token);
    const agent = await createAgent(app, owner, {
      name: 'Nova',
      companyName: 'Acme',
      personality: 'kind',
      companyInfo: 'Acme sells blenders.',
    });
    customer.socket.emit('start_conversation', { agentId: agent._id });
    const { conversationId } = await customer.next<{ conversationId: string }>(
      'conversation_started',
    );
    const ended = await app.http.put(`/api/conversations/${conversationId}/end`).set(owner.auth);
    expect(ended.status).toBe(200);
    expect(await customer.next('conversation_ended')).toEqual({ conversationId });
  });
});
