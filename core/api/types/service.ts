// Service and Endpoints: a stable name and port in front of a set of pods.

import type { ApiVersion, IntOrString, Labels, ObjectMeta, ObjectReference } from './meta.js';
import type { Protocol } from './pod.js';

export interface ServicePort {
  /** A DNS-1123 label; required and unique when there is more than one port. */
  name?: string;
  /** The port the service proxy listens on, 1-65535. */
  port: number;
  /** The pods' port: a number, or the name of a container port. Defaults to `port`. */
  targetPort?: IntOrString;
  /** Defaults to TCP. */
  protocol?: Protocol;
  /** NodePort services only: the port opened on every node, 1-65535. */
  nodePort?: number;
}

/** ClusterIP: reachable through the service proxy inside the cluster; NodePort: also on every node's nodePort. */
export type ServiceType = 'ClusterIP' | 'NodePort';

export interface ServiceSpec {
  /** Pods with all these labels back the service (equality only, as in Kubernetes). Absent: endpoints are managed by hand. */
  selector?: Labels;
  /** At least one. */
  ports: ServicePort[];
  /** Defaults to ClusterIP. */
  type?: ServiceType;
}

export interface Service {
  apiVersion: ApiVersion;
  kind: 'Service';
  /** The name is a DNS-1123 label (it becomes a DNS name). */
  metadata: ObjectMeta;
  spec: ServiceSpec;
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  /** The pod behind the address. */
  targetRef?: ObjectReference;
}

export interface EndpointPort {
  /** Matches the ServicePort's name. */
  name?: string;
  port: number;
  /** Defaults to TCP. */
  protocol?: Protocol;
}

/** Addresses that all serve the same ports. */
export interface EndpointSubset {
  /** Ready pods: the proxy balances across these. */
  addresses?: EndpointAddress[];
  /** Pods that are not ready (yet). */
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/**
 * The addresses behind a Service, of the same name, kept by the endpoints
 * controller. As in Kubernetes, `subsets` sits at the top level (no spec).
 */
export interface Endpoints {
  apiVersion: ApiVersion;
  kind: 'Endpoints';
  metadata: ObjectMeta;
  subsets?: EndpointSubset[];
}
