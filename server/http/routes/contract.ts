/**
 * The e-contract over HTTP.
 *
 * Applicant (token-protected):
 * - GET  /api/sessions/:token/contract            the filled contract to read before signing
 *   (409 `no_contract` unless the current step is a contract step);
 * - POST /api/sessions/:token/signature           the drawn signature (image/png, magic bytes and
 *   decoding checked, at most 512 KB), only while a contract step waits for it -> 201 {artifactId};
 * - GET  /api/sessions/:token/contract.pdf        the signed PDF (404 until sealed);
 * - GET  /api/sessions/:token/contract-record.json the signed record (404 until sealed).
 *
 * Public:
 * - GET /.well-known/attest-keys.json             the keyring (record keys, PDF certificates);
 * - GET /api/records/:recordId/verify             the stored record checked against the stored
 *   PDF, artifacts and event chain: check names and details only, no personal data.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import sharp from 'sharp';
import { ContractInputError } from '../../contract/errors.ts';
import { verifyStoredRecord } from '../../contract/store-verify.ts';
import { parseContractRecordId, previewContract, SIGNATURE_KIND, storedContract } from '../../contract/session.ts';
import type { ContractRuntime } from '../../contract/session.ts';
import type { DialogueState } from '../../dialogue/index.ts';
import type { ScriptCatalog, SessionService } from '../../session/index.ts';
import type { Store } from '../../store/index.ts';
import { AppError } from '../errors.ts';
import { sniffImageType } from './uploads.ts';

export const MAX_SIGNATURE_BYTES = 512 * 1024;
/** Each upload is stored as evidence: bound what one session can add. */
export const MAX_SIGNATURES_PER_SESSION = 20;
const MAX_SIGNATURE_SIDE = 4096;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

export interface ContractRouteDeps {
  service: SessionService;
  catalog: ScriptCatalog;
  store: Store;
  runtime: ContractRuntime;
  now?: () => Date;
}

export function registerContractRoutes(app: FastifyInstance, deps: ContractRouteDeps): void {
  const now = deps.now ?? (() => new Date());

  async function session(token: string) {
    if (!TOKEN_SHAPE.test(token)) throw new AppError('session_not_found');
    return deps.service.resolveToken(token);
  }

  app.register(async (scope) => {
    scope.addContentTypeParser('image/png', { parseAs: 'buffer', bodyLimit: MAX_SIGNATURE_BYTES }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { token: string }; Body: unknown }>(
      '/api/sessions/:token/signature',
      { bodyLimit: MAX_SIGNATURE_BYTES },
      async (request, reply) => {
        const record = await session(request.params.token);
        const body = request.body;
        if (!Buffer.isBuffer(body)) throw new AppError('unsupported_media_type', 'Upload the signature as a PNG image (Content-Type: image/png).');
        if (body.length === 0) throw new AppError('bad_request', 'The upload is empty.');
        if (sniffImageType(body) !== 'image/png') throw new AppError('unsupported_media_type', 'The signature is not a PNG image.');
        const state = record.state as DialogueState;
        if (record.status !== 'active' || state.awaiting?.input.type !== 'contract') {
          throw new AppError('not_expecting_upload', 'No signature is expected at this step.');
        }
        const uploaded = deps.store.artifacts.list(record.id).filter((artifact) => artifact.kind === SIGNATURE_KIND).length;
        if (uploaded >= MAX_SIGNATURES_PER_SESSION) throw new AppError('not_expecting_upload', 'Too many signatures were uploaded in this session.');
        // It goes into the signed PDF: it must decode, not just start like a PNG.
        let size: { width?: number; height?: number; format?: string };
        try {
          size = await sharp(body).metadata();
        } catch {
          throw new AppError('unsupported_media_type', 'The signature is not a readable PNG image.');
        }
        if (size.format !== 'png' || !size.width || !size.height || size.width > MAX_SIGNATURE_SIDE || size.height > MAX_SIGNATURE_SIDE) {
          throw new AppError('unsupported_media_type', `The signature must be a PNG image of at most ${MAX_SIGNATURE_SIDE} pixels a side.`);
        }
        const stored = await deps.service.storeArtifact(record.id, SIGNATURE_KIND, 'image/png', new Uint8Array(body));
        return reply.code(201).send({ artifactId: stored.id });
      },
    );
  });

  app.get<{ Params: { token: string } }>('/api/sessions/:token/contract', async (request, reply) => {
    const record = await session(request.params.token);
    const script = deps.catalog.pinned(record.scriptHash).script;
    let preview: ReturnType<typeof previewContract>;
    try {
      preview = previewContract({ runtime: deps.runtime, record, script, events: deps.store.events.list(record.id), now: now() });
    } catch (error) {
      if (error instanceof ContractInputError) throw new AppError('no_contract', 'The contract cannot be filled in yet.');
      throw error;
    }
    if (!preview) throw new AppError('no_contract');
    return reply.header('cache-control', 'no-store').send(preview);
  });

  const download = (kind: 'pdf' | 'record') => async (request: { params: { token: string } }, reply: FastifyReply) => {
    const record = await session(request.params.token);
    const stored = storedContract(deps.store, record.id);
    if (!stored) throw new AppError('contract_not_sealed');
    const artifact = await deps.store.artifacts.read(kind === 'pdf' ? stored.pdf.id : stored.record.id);
    if (!artifact) throw new AppError('contract_not_sealed');
    const name = kind === 'pdf' ? `contract-${record.reference}.pdf` : `contract-record-${record.reference}.json`;
    return reply
      .header('content-type', kind === 'pdf' ? 'application/pdf' : 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(artifact.bytes));
  };
  app.get<{ Params: { token: string } }>('/api/sessions/:token/contract.pdf', download('pdf'));
  app.get<{ Params: { token: string } }>('/api/sessions/:token/contract-record.json', download('record'));

  app.get('/.well-known/attest-keys.json', async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(deps.runtime.keys.publicKeys()));

  app.get<{ Params: { recordId: string } }>('/api/records/:recordId/verify', async (request) => {
    const { recordId } = request.params;
    const parsed = parseContractRecordId(recordId);
    const record = parsed ? deps.store.sessions.findById(parsed.sessionId) : null;
    const stored = parsed && record ? storedContract(deps.store, record.id, parsed.n) : null;
    if (!parsed || !stored) throw new AppError('not_found', 'No contract record with that id.');
    // Raw bytes, not artifacts.read (which refuses a mismatch instead of letting the checks name it).
    const [recordBytes, pdfBytes] = await Promise.all([deps.store.blobs.get(stored.record.blobKey), deps.store.blobs.get(stored.pdf.blobKey)]);
    if (!recordBytes) throw new AppError('not_found', 'The contract record is missing from storage.');
    const result = await verifyStoredRecord({
      store: deps.store,
      sessionId: parsed.sessionId,
      record: Buffer.from(recordBytes).toString('utf8'),
      ...(pdfBytes ? { pdfBytes } : {}),
      keyring: deps.runtime.keys.publicKeys(),
    });
    return { recordId, ...result };
  });
}
