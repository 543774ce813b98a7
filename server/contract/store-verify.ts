/**
 * Verifies a record against what the store holds for its session: artifacts read raw from the
 * blob store (not through `artifacts.read`, which refuses a mismatch instead of reporting it) and
 * the stored events. For GET /api/records/:id/verify.
 */
import type { Store } from '../store/types.ts';
import { verifyRecord } from './verify.ts';
import type { RecordVerification, VerifyRecordInput } from './verify.ts';

export interface VerifyStoredRecordInput {
  store: Pick<Store, 'artifacts' | 'blobs' | 'events'>;
  sessionId: string;
  record: unknown;
  pdfBytes?: Uint8Array;
  keyring: unknown;
  pdfsig?: VerifyRecordInput['pdfsig'];
}

/** Artifact bytes by id for one session, read raw from the blob store. */
export function storedArtifacts(store: Pick<Store, 'artifacts' | 'blobs'>, sessionId: string): (id: string) => Promise<Uint8Array | null> {
  return async (id) => {
    const artifact = store.artifacts.list(sessionId).find((entry) => entry.id === id);
    return artifact ? store.blobs.get(artifact.blobKey) : null;
  };
}

export function verifyStoredRecord(input: VerifyStoredRecordInput): Promise<RecordVerification> {
  return verifyRecord({
    record: input.record,
    pdfBytes: input.pdfBytes,
    keyring: input.keyring,
    artifacts: storedArtifacts(input.store, input.sessionId),
    events: input.store.events.list(input.sessionId),
    pdfsig: input.pdfsig,
  });
}
