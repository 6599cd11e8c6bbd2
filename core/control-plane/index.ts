// The leader-only control plane: the scheduler and the controllers over one
// cache of the store, as one actor that leaderWork starts and stops.

export { controlPlane } from './control-plane.js';
export type { ControlPlaneOptions } from './control-plane.js';
export { controllerDefinitions } from './controllers.js';
export type { ControllerContext, ControllerSettings } from './controllers.js';
