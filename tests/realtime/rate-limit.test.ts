import { startTestApp, type TestApp } from '../support/app';
import { connect, eventsNamed } from '../support/sockets';

let limited: TestApp;
beforeAll(async () => {
  limited = await startTestApp({ env: { SOCKET_RATE_BURST: '3', SOCKET_RATE_PER_SECOND: '0.1' } });
});
afterAll(() => limited.close());

describe('rate limits', () => {
  it('refuses bursts with error events (typing still ends false), then disconnects an abuser', async () => {
    {
      const s = await connect(limited.url);
      const disconnected = new Promise<void>((resolve) =>
        s.socket.on('disconnect', () => resolve()),
      );
      for (let i = 0; i < 5; i++)
        s.socket.emit('user_message', {
          conversationId: '0123456789abcdef01234567',
          message: `spam ${i}`,
        });
      await new Promise((r) => setTimeout(r, 500));
      const errors = eventsNamed(s, 'error') as Array<{ code: string }>;
      expect(errors).toHaveLength(5);
      expect(errors.filter((e) => e.code === 'RATE_LIMITED')).toHaveLength(2);
      expect(eventsNamed(s, 'typing').filter((t) => t === false)).toHaveLength(5);
      for (let i = 0; i < 40; i++)
        s.socket.emit('customer_typing', {
          conversationId: '0123456789abcdef01234567',
          typing: true,
        });
      await disconnected;
      expect(s.socket.connected).toBe(false);
      expect((await limited.http.get('/health')).status).toBe(200);
    }
  });
});
