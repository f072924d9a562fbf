import mongoose from 'mongoose';

const UNAVAILABLE_NAMES = new Set([
  'MongooseServerSelectionError',
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/** True when an error means "the database is unreachable", which the API answers with 503. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (UNAVAILABLE_NAMES.has(err.name)) return true;
  // SQLITE_BUSY: FerretDB's SQLite store is saturated with writers; a retry later succeeds.
  return /before initial connection is complete|buffering timed out|connection .* closed|SQLITE_BUSY/i.test(
    err.message,
  );
}

/** A duplicate-key error from a unique index (E11000). */
export function isDuplicateKey(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    (err as { code: unknown }).code === 11000
  );
}

export const isCastError = (err: unknown): err is mongoose.Error.CastError =>
  err instanceof mongoose.Error.CastError;

export const isValidationError = (err: unknown): err is mongoose.Error.ValidationError =>
  err instanceof mongoose.Error.ValidationError;
