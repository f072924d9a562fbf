import path from 'node:path';
import express, { Router } from 'express';
import type { Config } from '../config';

/**
 * Stored audio at /audio/<file> (the URLs saved on messages) and shipped avatars at
 * /public/avatars/<file>. Only files the server named itself live there; nosniff and an
 * attachment-free, script-free CSP keep a stray file from ever running as a page.
 */
export function staticFiles(config: Pick<Config, 'files'>) {
  const router = Router();
  const safeHeaders = (res: express.Response) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  };
  const options = {
    fallthrough: true,
    index: false,
    dotfiles: 'deny' as const,
    setHeaders: safeHeaders,
    maxAge: '1h',
  };
  router.use('/audio', express.static(config.files.audioPath, options));
  router.use('/public/audio', express.static(config.files.audioPath, options));
  // Avatars uploaded by owners: bytes were sniffed to be images and names are ours.
  router.use(
    '/uploads/avatars',
    express.static(path.join(config.files.uploadPath, 'avatars'), options),
  );
  router.use(
    '/public/avatars',
    express.static(path.resolve(__dirname, '..', '..', 'public', 'avatars'), options),
  );
  return router;
}
