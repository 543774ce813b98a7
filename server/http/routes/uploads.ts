/**
 * POST /api/sessions/:token/stills — a full-resolution photo from the applicant's camera, for
 * devices whose video is too low-resolution to read a document from. The bytes go to the
 * session's running verifier (the same pipeline as captured video frames); nothing else
 * accepts them. Type is checked by magic bytes, not only the declared Content-Type.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import type { SessionService, UploadHub } from '../../session/index.ts';

export const MAX_STILL_BYTES = 12 * 1024 * 1024;
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

export function registerUploadRoutes(app: FastifyInstance, deps: { service: SessionService; uploads: UploadHub }): void {
  app.register(async (scope) => {
    scope.addContentTypeParser(IMAGE_TYPES as unknown as string[], { parseAs: 'buffer', bodyLimit: MAX_STILL_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    scope.post<{ Params: { token: string }; Body: Buffer }>('/api/sessions/:token/stills', { bodyLimit: MAX_STILL_BYTES }, async (request, reply) => {
      const { token } = request.params;
      if (!TOKEN_SHAPE.test(token)) throw new AppError('session_not_found');
      const record = await deps.service.resolveToken(token);
      const declared = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('bad_request', 'The upload is empty.');
      const sniffed = sniffImageType(body);
      if (!sniffed || sniffed !== declared) {
        throw new AppError('unsupported_media_type', 'Upload a JPEG, PNG or WebP photo.');
      }
      if (!deps.uploads.deliver(record.id, { bytes: new Uint8Array(body), mime: sniffed, receivedAtMs: Date.now() })) {
        throw new AppError('not_expecting_upload');
      }
      return reply.code(202).send({ accepted: true });
    });
  });
}

/** The image type from the first bytes, or null. */
export function sniffImageType(bytes: Uint8Array): (typeof IMAGE_TYPES)[number] | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return 'image/png';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}
