import { Simulation, type ActorSystem, type ActorSystemOptions } from '../../../actors/index.js';

/** One system on a virtual clock: unit tests control time exactly. */
export async function simSystem(
  options: Partial<Omit<ActorSystemOptions, 'name' | 'world'>> = {},
  seed = 1,
): Promise<{ sim: Simulation; system: ActorSystem }> {
  const sim = new Simulation({ seed });
  const system = await sim.system('t', options);
  return { sim, system };
}
