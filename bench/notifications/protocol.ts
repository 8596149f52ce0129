/** The IPC messages between the benchmark (run.ts) and its SMTP server process (smtp-sink.ts). */

export type SinkRequest = { type: 'count' } | { type: 'collect' };

export interface SinkReady {
  type: 'ready';
  port: number;
}

/** Progress of the current phase. */
export interface SinkCount {
  type: 'count';
  accepted: number;
  /** Message-IDs accepted more than once. */
  duplicates: number;
  /** Messages refused because they had no Message-ID. */
  missingId: number;
  bytes: number;
}

/** Everything the phase accepted; the server starts a new phase. */
export interface SinkCollected {
  type: 'collected';
  /** Message-ID and the instant (epoch ms) the server answered 250 to its first copy. */
  accepted: [string, number][];
  /** Message-ID and the number of copies, for those that came more than once. */
  duplicates: [string, number][];
  missingId: number;
  bytes: number;
}

export type SinkReply = SinkReady | SinkCount | SinkCollected;
