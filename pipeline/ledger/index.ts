/** Stage `ledger`: the release records in releases/ (read the previous release, write a new record). */
export {
  addPublication,
  latestInLine,
  loadLedgerIndex,
  readAllRecords,
  readRecord,
  readRecordOrThrow,
  compareRecord,
  recordPath,
  serializeRecord,
  writeRecord,
  type LedgerIndex,
  type ReleaseLine,
} from './ledger.js';
export { recordApiVersion, type E2eGateRecord, type PublishedRef, type RecordFile, type RecordSchemas, type ReleaseRecord, type SignatureRef } from './record.js';
