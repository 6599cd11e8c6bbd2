// The drivers of leader-only work: a work queue of keys, and an actor that
// runs a controller's pure reconcile and performs its actions through the API.

export { controllerActor, nameSuffix } from './controller-actor.js';
export type { ControllerDefinition, ControllerDriverOptions } from './controller-actor.js';
export { perform, requestOf } from './perform.js';
export type { ActionOutcome, AskApi } from './perform.js';
export { WorkQueue } from './work-queue.js';
export { EventBudget } from './event-budget.js';
