// The object model of Drover: the kinds and their types, storage keys, label
// selectors, resource quantities, validation, defaults and manifests.
//
//   const parsed = parseManifests(text, 'web.yaml');          // YAML or JSON -> objects
//   const created = admitCreate(obj, { nowIso, uid });        // validate + defaults + validate
//   const key = keyOf(created.value);                         // /registry/pods/default/web
//   matches(parseSelector('app=web').value, pod.metadata.labels);
//   cpuMillisOf('500m');                                      // 500

// Types of every kind.
export type {
  Annotations,
  ApiVersion,
  Condition,
  ConditionStatus,
  IntOrString,
  Labels,
  ObjectMeta,
  ObjectReference,
  OwnerReference,
  Quantity,
  Timestamp,
} from './types/meta.js';
export { API_VERSION } from './types/meta.js';
export type { LabelSelector, LabelSelectorOperator, LabelSelectorRequirement } from './types/selector.js';
export type {
  Affinity,
  Container,
  ContainerPort,
  ContainerState,
  ContainerStateRunning,
  ContainerStateTerminated,
  ContainerStateWaiting,
  ContainerStatus,
  EnvVar,
  ExecAction,
  HttpGetAction,
  HttpHeader,
  ImagePullPolicy,
  NodeAffinity,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  PodAffinity,
  PodAffinityTerm,
  PodCondition,
  PodConditionType,
  PodPhase,
  PodSpec,
  PodStatus,
  PodTemplateSpec,
  PreferredSchedulingTerm,
  Probe,
  Protocol,
  ResourceList,
  ResourceRequirements,
  RestartPolicy,
  TaintEffect,
  TcpSocketAction,
  Toleration,
  WeightedPodAffinityTerm,
} from './types/pod.js';
export type {
  Deployment,
  DeploymentCondition,
  DeploymentConditionType,
  DeploymentSpec,
  DeploymentStatus,
  DeploymentStrategy,
  DeploymentStrategyType,
  ReplicaSet,
  ReplicaSetConditionType,
  ReplicaSetSpec,
  ReplicaSetStatus,
  RollingUpdateDeployment,
} from './types/workloads.js';
export type {
  Node,
  NodeAddress,
  NodeCondition,
  NodeConditionType,
  NodeResourceList,
  NodeSpec,
  NodeStatus,
  NodeSystemInfo,
  Taint,
} from './types/node.js';
export type { Namespace, NamespaceSpec, NamespaceStatus } from './types/namespace.js';
export type { EndpointAddress, EndpointPort, Endpoints, EndpointSubset, Service, ServicePort, ServiceSpec, ServiceType } from './types/service.js';
export type { Event, EventSource, EventType } from './types/event.js';

// Kinds and storage keys.
export type { ApiObject, Kind, KindInfo, ObjectOfKind } from './kinds.js';
export { isKind, isNamespaced, kindInfo, KINDS, resolveKind } from './kinds.js';
export type { ObjectKey } from './keys.js';
export { keyFor, keyOf, parseKey, prefixFor, REGISTRY_PREFIX } from './keys.js';

// Label selectors.
export { parseSelector } from './labels/selector-parse.js';
export { isEmptySelector, matches, requirementHolds, selectorFromLabels } from './labels/selector-match.js';
export { formatSelector } from './labels/selector-format.js';

// Field selectors.
export type { FieldRequirement, FieldSelector } from './fields/field-selector.js';
export { FIELDS_BY_KIND, fieldsMatch, fieldValue, formatFieldSelector, parseFieldSelector } from './fields/field-selector.js';

// Resource quantities.
export type { QuantityKind } from './quantity.js';
export { countOf, cpuMillisOf, formatQuantity, memoryBytesOf, parseQuantity } from './quantity.js';

// Names.
export {
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelValue,
  checkQualifiedName,
} from './names.js';

// Validation, defaults, admission, manifests.
export type { ValidateOptions } from './validation/validate.js';
export { validate } from './validation/validate.js';
export { validateUpdate } from './validation/validate-update.js';
export type { CreateContext } from './defaults/create.js';
export { applyDefaults, DEFAULT_NAMESPACE } from './defaults/create.js';
export { prepareForUpdate } from './defaults/update.js';
export { admitCreate, admitServerUpdate, admitUpdate } from './admit.js';
export { parseManifests } from './manifests.js';

// Results and errors.
export type { Result } from './result.js';
export type { FieldError, ManifestProblem, ObjectIdentity } from './errors.js';
export {
  ApiModelError,
  ConflictError,
  FieldSelectorError,
  formatFieldError,
  ManifestError,
  QuantityError,
  SelectorParseError,
  ValidationError,
} from './errors.js';
export { isSystemAnnotation, isUnchanged, systemAnnotations } from './apply-diff.js';
