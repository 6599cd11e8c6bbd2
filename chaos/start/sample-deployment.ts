import type { Deployment } from '../../core/api/index.js';

/**
 * What `drover start` runs: three replicas of busybox's HTTP server, each
 * answering with its pod's and node's names. One manifest for both runtimes: the docker
 * runtime runs it in the drover/busybox:1 image (built by the set-up from
 * Debian's busybox-static), the process runtime runs the same command on the
 * host's busybox. Each listens on the port the runtime gives it in
 * DROVER_PORT_8080 (docker: 8080 inside, published on 127.0.0.1).
 */
export function sampleDeployment(): Deployment {
  const script = [
    'mkdir -p www',
    'echo "hello from $DROVER_POD_NAME on $DROVER_NODE_NAME" > www/index.html',
    'exec busybox httpd -f -p "$DROVER_PORT_8080" -h www',
  ].join(' && ');
  return {
    apiVersion: 'drover/v1',
    kind: 'Deployment',
    metadata: { name: 'hello', namespace: 'default', labels: { app: 'hello' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'hello' } },
      template: {
        metadata: { labels: { app: 'hello' } },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'httpd',
              image: 'drover/busybox:1',
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '-c', script],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 2 },
              livenessProbe: { tcpSocket: { port: 'http' }, initialDelaySeconds: 2, periodSeconds: 5 },
              resources: { requests: { cpu: '50m', memory: '16Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
            },
          ],
        },
      },
    },
  };
}
