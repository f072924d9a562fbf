import type { ErrorRequestHandler, RequestHandler } from 'express';
import { MulterError } from 'multer';
import { ZodError } from 'zod';
import {
  isCastError,
  isDatabaseUnavailable,
  isDuplicateKey,
  isValidationError,
} from '../db/errors';
import type { Logger } from '../logger';
import { validationError } from './api';
import { AppError } from './errors';

/** Turns anything thrown into an AppError; unknown errors become a 500 without internals. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return validationError(err.issues);
  const bodyError = err as { type?: string; status?: number } | null;
  if (bodyError?.type === 'entity.parse.failed') {
    return new AppError(400, 'INVALID_JSON', 'Malformed JSON in request body');
  }
  if (bodyError?.type === 'entity.too.large') {
    return new AppError(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
  }
  if (bodyError?.type && bodyError.status && bodyError.status >= 400 && bodyError.status < 500) {
    return new AppError(bodyError.status, 'VALIDATION_FAILED', 'Request body could not be read');
  }
  if (err instanceof MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') {
      return new AppError(413, 'PAYLOAD_TOO_LARGE', 'Uploaded file is too large');
    }
    return new AppError(400, 'VALIDATION_FAILED', `Upload rejected: ${err.message}`);
  }
  if (isCastError(err)) {
    return new AppError(
      400,
      'INVALID_ID',
      `Invalid ${err.path}: ${String(err.value).slice(0, 60)}`,
    );
  }
  if (isValidationError(err)) {
    const messages = Object.values(err.errors).map((e) => e.message);
    return new AppError(400, 'VALIDATION_FAILED', 'Validation failed', { errors: messages });
  }
  if (isDuplicateKey(err)) return new AppError(409, 'CONFLICT', 'That resource already exists');
  if (isDatabaseUnavailable(err)) {
    return new AppError(
      503,
      'DATABASE_UNAVAILABLE',
      'Database temporarily unavailable. Please try again.',
    );
  }
  return new AppError(500, 'INTERNAL', 'Internal server error');
}

export function errorBody(error: AppError): Record<string, unknown> {
  return { message: error.message, error: error.message, code: error.code, ...error.details };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    if (appError.status >= 500) {
      logger.error({ err, reqId: req.id, path: req.path }, 'request failed');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(appError.status).json(errorBody(appError));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'NOT_FOUND', `Route not found: ${req.method} ${req.path}`));
};
