import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets and personal data never reach them: auth headers, cookies,
 * passwords, tokens and message text are redacted wherever they appear in a logged object.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'customercare-voiceai' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
        '*.token',
        '*.refreshToken',
        '*.accessToken',
        '*.content',
        '*.message.content',
        'uri',
      ],
      censor: '[redacted]',
    },
  });
}

/** Strips credentials from a connection string before it is shown anywhere. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^@/]*)@/, '//***@');
}
