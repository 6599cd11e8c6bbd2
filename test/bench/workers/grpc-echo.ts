// The floor of an API call in the store figures: Drover's gRPC edge
// (GrpcGateway with the masters' service) whose handlers answer at once with
// the object they were sent, in a process of its own. The store suite drives
// it with the same load process and loops as the masters, so what one call
// costs here (client and server CPU) is what any write through the gRPC API
// costs before the store does anything.
//
//   start   listen on 127.0.0.1 and a free port; answer 'started' { address }

import { GrpcGateway, type Handlers } from '../../../core/grpc/index.js';
import { API_SERVICE_NAME, API_SERVICE_SPEC } from '../../../core/master/index.js';
import { listen, on, onStop, send } from '../lib/channel.js';

let gateway: GrpcGateway | null = null;

const echo = (request: unknown): Promise<unknown> => Promise.resolve((request as { object?: unknown }).object ?? {});

const handlers: Handlers<typeof API_SERVICE_SPEC> = {
  Create: echo,
  Get: echo,
  List: echo,
  Update: echo,
  Delete: echo,
  Apply: echo,
  UpdateStatus: echo,
  Bind: echo,
  Watch: (_request, sink) => sink.end(),
  Logs: (_request, sink) => sink.end(),
  ClusterStatus: echo,
};

onStop(async () => {
  await gateway?.stop(100);
});

on('start', async () => {
  gateway = await GrpcGateway.start({ serviceName: API_SERVICE_NAME, spec: API_SERVICE_SPEC, handlers });
  send({ type: 'started', address: gateway.address });
});

listen();
send({ type: 'ready' });
