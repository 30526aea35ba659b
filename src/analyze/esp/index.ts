/** IPsec (ESP and AH) analysis: the public surface of src/analyze/esp. */
export { EspAnalyzer, type InnerPacketListener } from './esp-analyzer.js';
export { resolveEspOptions, type EspAnalysisOptions, type ResolvedEspOptions, MAX_REPLAY_WINDOW } from './options.js';
export { SaTable, DEFAULT_MAX_SAS } from './sa-table.js';
export { SaAnomaly, SaRecord } from './sa-record.js';
export { SA_EVENT_KINDS, ESP_ONLY_EVENT_KINDS, ESP_EVENT_NAMES } from './event-kinds.js';
export { EspSequenceTracker, ESN_WARNING_THRESHOLD } from './sequence-tracker.js';
export { CleartextLeakDetector, type CleartextFlow } from './cleartext-leak-detector.js';
export { HostPairTable } from './host-pairs.js';
export { EspDecryptor, DecryptStatus, decryptStatusText, PLAINTEXT_OFFSET } from './decrypt.js';
export { EspUnwrapper, MAX_ESP_UNWRAP_DEPTH } from './unwrap.js';
export {
  parseEspSecrets, parseEspSecret, loadEspSecrets, describeSecret, EspSecretsError,
  type EspSecret, type EspCipherName, type EspIntegrity,
} from './secrets.js';
export {
  buildEspReport, joinSilences,
  type EspReport, type SaSummary, type SilenceEpisode, type JointSilence, type TimeBackwardsSummary,
} from './report.js';
export { formatAddress, formatSpi } from './address.js';
export { espFindings, saText, seqRange, seconds, protocolName, type EspFinding } from './findings.js';
export { createEspSectionAnalyzer, forwardInnerPackets, type InnerPacketSource } from './section.js';
