import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kind, assembleFrames, decodeFrame, encodeFrame, packEnvelope, type Envelope } from '../../../../actors/remote/codec.js';

const noRefs = () => {
  throw new Error('no refs in these frames');
};

const user = (i: number, payload: unknown): Envelope => [Kind.User, `drover://b/user/a${i}`, null, payload];

describe('frames laid from envelopes packed one by one', () => {
  it('are the bytes encodeFrame gives when everything fits in one', () => {
    const batch = [user(1, { type: 'x', n: 1 }), [Kind.Heartbeat] as Envelope, user(2, 'hi')];
    const { frames, tooBig } = assembleFrames('a', batch.map(packEnvelope), 1 << 20);
    expect(tooBig).toEqual([]);
    expect(frames).toHaveLength(1);
    expect(Buffer.from(frames[0]!).equals(Buffer.from(encodeFrame('a', batch)))).toBe(true);
  });

  it('split a big batch into frames under the limit, in order, each envelope once', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { minLength: 1, maxLength: 120 }), fc.integer({ min: 400, max: 4_000 }), (texts, maxBytes) => {
        const batch = texts.map((t, i) => user(i, { t }));
        const { frames, tooBig } = assembleFrames('sender-1', batch.map(packEnvelope), maxBytes);
        for (const f of frames) expect(f.byteLength).toBeLessThanOrEqual(maxBytes);
        const decoded = frames.flatMap((f) => {
          const frame = decodeFrame(f, noRefs);
          expect(frame.from).toBe('sender-1');
          return frame.envelopes;
        });
        const tooBigSet = new Set(tooBig.map((p) => p.envelope));
        expect(decoded).toEqual(batch.filter((e) => !tooBigSet.has(e)));
        // Only an envelope that cannot fit any frame is left out.
        for (const p of tooBig) expect(p.bytes.byteLength).toBeGreaterThan(maxBytes - 30);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps array headers right past 15 and 65,535 envelopes', () => {
    for (const n of [15, 16, 70_000]) {
      const batch = Array.from({ length: n }, () => [Kind.Heartbeat] as Envelope);
      const { frames } = assembleFrames('a', batch.map(packEnvelope), 1 << 22);
      expect(frames).toHaveLength(1);
      expect(decodeFrame(frames[0]!, noRefs).envelopes).toHaveLength(n);
    }
  });
});
