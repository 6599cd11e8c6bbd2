// Both real runtimes tell a container where to listen through the same
// variables, so one manifest command works on either: the process runtime
// shares the host's network and must move the port (DROVER_PORT_80=41233),
// docker maps it and passes the container port itself (DROVER_PORT_80=80).

/** The environment variable that names the port to listen on for `containerPort`. */
export function portEnvName(containerPort: number): string {
  return `DROVER_PORT_${containerPort}`;
}

/** `DROVER_PORT_<containerPort>=<listenPort>` for each entry of `listenPorts` (by container port). */
export function portEnv(listenPorts: Readonly<Record<number, number>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [containerPort, listenPort] of Object.entries(listenPorts)) {
    env[portEnvName(Number(containerPort))] = String(listenPort);
  }
  return env;
}
