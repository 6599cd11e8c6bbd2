import type { ActorContext, ActorRef } from '../../../actors/index.js';
import type { StreamSink } from '../../grpc/index.js';
import type { ApiRequest } from '../api-protocol.js';
import type { WatchMessage } from '../watch-hub.js';

/** Internal: the gRPC caller went away. */
type WatchStreamMsg = WatchMessage | { readonly type: 'caller-gone' };

export type WatchRequest = Omit<ApiRequest & { type: 'watch' }, 'type' | 'watchId'>;

/**
 * One actor per Watch call: it asks the API actor for a watch with itself as
 * the subscriber and writes each WatchMessage to the gRPC stream. A
 * watch-error is written, then the stream ends. When the caller cancels, it
 * unwatches and stops (its death would end the watch anyway).
 */
export function watchStream(api: ActorRef<ApiRequest>, watchId: string, request: WatchRequest, sink: StreamSink) {
  return (ctx: ActorContext<WatchStreamMsg>) => {
    const self = ctx.self;
    return {
      preStart: () => {
        api.tell({ ...request, type: 'watch', watchId }, self as ActorRef<never>);
        // A promise callback outside the actor: it only tells the actor.
        void sink.closed.then(() => self.tell({ type: 'caller-gone' }));
      },
      receive: (m: WatchStreamMsg) => {
        switch (m.type) {
          case 'watch-event':
            sink.write(m);
            return;
          case 'watch-error':
            sink.write(m);
            sink.end();
            ctx.stop();
            return;
          case 'caller-gone':
            api.tell({ type: 'unwatch', watchId });
            ctx.stop();
            return;
        }
      },
      postStop: () => sink.end(),
    };
  };
}
