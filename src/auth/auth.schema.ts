import isEmail from 'validator/lib/isEmail';
import { z } from 'zod';

/**
 * Request schemas for /api/auth. Register and login keep the old backend's exact messages and
 * their order, because the frontend shows them. Emails are checked by validator's isEmail, which
 * runs in linear time (the old regex could be made to backtrack for seconds) and accepts real
 * addresses such as a+b@x.com and .info domains.
 */

const MAX_EMAIL = 254;
export const looksLikeEmail = (value: string) =>
  value.length <= MAX_EMAIL && isEmail(value, { allow_utf8_local_part: false });

const PASSWORD_RULE = /(?=.*[a-z])(?=.*[A-Z])(?=.*\d)/;
const optionalText = z.unknown().optional();
const asText = (v: unknown) => (typeof v === 'string' ? v : '');

function fail(ctx: z.core.$RefinementCtx, message: string, details?: Record<string, unknown>) {
  ctx.addIssue({ code: 'custom', message, params: details ? { details } : undefined });
}

export function passwordProblem(password: string): string | null {
  if (password.length < 6) return 'Password must be at least 6 characters long';
  if (password.length > 128) return 'Password is too long';
  if (!PASSWORD_RULE.test(password)) {
    return 'Password must contain at least one uppercase letter, one lowercase letter, and one number';
  }
  return null;
}

export const registerBody = z
  .object({ name: optionalText, email: optionalText, password: optionalText })
  .openapi('RegisterRequest', {
    example: { name: 'Ada Lovelace', email: 'ada@example.com', password: 'Secret123' },
  })
  .transform((raw, ctx) => {
    const name = asText(raw.name).trim();
    const email = asText(raw.email).trim().toLowerCase();
    const password = asText(raw.password);
    if (!name || !email || !password) {
      fail(ctx, 'All fields are required', {
        fields: {
          name: name ? null : 'Name is required',
          email: email ? null : 'Email is required',
          password: password ? null : 'Password is required',
        },
      });
      return z.NEVER;
    }
    if (name.length < 2) return (fail(ctx, 'Name must be at least 2 characters long'), z.NEVER);
    if (name.length > 50) return (fail(ctx, 'Name cannot exceed 50 characters'), z.NEVER);
    if (!looksLikeEmail(email)) return (fail(ctx, 'Please provide a valid email address'), z.NEVER);
    const problem = passwordProblem(password);
    if (problem) return (fail(ctx, problem), z.NEVER);
    return { name, email, password };
  });

export const loginBody = z
  .object({ email: optionalText, password: optionalText })
  .openapi('LoginRequest', { example: { email: 'ada@example.com', password: 'Secret123' } })
  .transform((raw, ctx) => {
    const email = asText(raw.email).trim().toLowerCase();
    const password = asText(raw.password);
    if (!email || !password) {
      fail(ctx, 'Email and password are required', {
        fields: {
          email: email ? null : 'Email is required',
          password: password ? null : 'Password is required',
        },
      });
      return z.NEVER;
    }
    if (!looksLikeEmail(email)) return (fail(ctx, 'Please provide a valid email address'), z.NEVER);
    return { email, password: password.slice(0, 1024) };
  });

export const refreshBody = z
  .object({ refreshToken: z.string().min(1, 'refreshToken is required').max(200) })
  .openapi('RefreshRequest');

export const logoutBody = z
  .object({ refreshToken: z.string().max(200).optional() })
  .openapi('LogoutRequest');

export const profileUpdateBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(2, 'Name must be at least 2 characters long')
      .max(50, 'Name cannot exceed 50 characters')
      .optional(),
    avatar: z
      .string()
      .trim()
      .max(500, 'Avatar URL is too long')
      .refine((v) => v === '' || /^(https:\/\/|\/public\/avatars\/)[^\s<>"']+$/.test(v), {
        message: 'Avatar must be an https URL or a /public/avatars/ path',
      })
      .nullable()
      .optional(),
    currentPassword: z.string().max(1024).optional(),
    newPassword: z.string().optional(),
  })
  .strict()
  .openapi('ProfileUpdateRequest')
  .superRefine((body, ctx) => {
    if (body.newPassword === undefined) return;
    const problem = passwordProblem(body.newPassword);
    if (problem) fail(ctx, problem);
    else if (!body.currentPassword) fail(ctx, 'Current password is required to set a new password');
  });

export const UserResponse = z
  .object({
    _id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(['user', 'admin']),
    avatar: z.string().nullable().optional(),
  })
  .openapi('User');

export const AuthResponse = z
  .object({
    token: z.string().describe('Access token (JWT, HS256), valid for JWT_EXPIRES_IN'),
    refreshToken: z.string().describe('Rotating refresh token for POST /api/auth/refresh'),
    user: UserResponse,
  })
  .openapi('AuthResponse');
