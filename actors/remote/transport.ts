/**
 * How frames travel between actor systems. A frame is opaque bytes; the
 * transport only promises that frames from one system to another arrive in
 * the order they were sent, or not at all (NATS's per-connection order; the
 * simulated network breaks that only when told to reorder).
 */
export interface Transport {
  /** Frames larger than this are split by the sender. */
  readonly maxFrameBytes: number;
  /** Starts delivering frames addressed to `systemName`; resolves once listening. */
  bind(systemName: string, onFrame: (frame: Uint8Array, subject: string) => void): Promise<void>;
  /** Stops delivering frames to `systemName`. */
  unbind(systemName: string): Promise<void>;
  /** Sends one frame, without waiting. */
  send(fromSystem: string, toSystem: string, frame: Uint8Array): void;
  /** Releases the connection; frames already handed to `send` are flushed first. */
  close(): Promise<void>;
}
