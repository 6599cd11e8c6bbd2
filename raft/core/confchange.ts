import type { ConfChange, ConfState, NodeId } from './types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeConfChange(cc: ConfChange): Uint8Array {
  return encoder.encode(JSON.stringify(cc));
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  const cc = JSON.parse(decoder.decode(data)) as ConfChange;
  if (!cc || typeof cc.node !== 'string' || !['add-voter', 'add-learner', 'remove'].includes(cc.type)) {
    throw new Error(`not a conf change: ${decoder.decode(data)}`);
  }
  return cc;
}

/** Why a change cannot apply to `conf`, or null when it can. */
export function checkConfChange(conf: ConfState, cc: ConfChange): string | null {
  const voter = conf.voters.includes(cc.node);
  const learner = conf.learners.includes(cc.node);
  switch (cc.type) {
    case 'add-voter':
      return voter ? `${cc.node} is a voter already` : null;
    case 'add-learner':
      return voter ? `${cc.node} is a voter; demotion is not supported` : learner ? `${cc.node} is a learner already` : null;
    case 'remove':
      if (!voter && !learner) return `${cc.node} is not a member`;
      return voter && conf.voters.length === 1 ? `cannot remove the last voter ${cc.node}` : null;
  }
}

/** The configuration after one change (checked first with checkConfChange). */
export function applyToConf(conf: ConfState, cc: ConfChange): ConfState {
  const without = (ids: readonly NodeId[]) => ids.filter((id) => id !== cc.node);
  switch (cc.type) {
    case 'add-voter':
      return { voters: [...without(conf.voters), cc.node].sort(), learners: without(conf.learners) };
    case 'add-learner':
      return { voters: conf.voters, learners: [...without(conf.learners), cc.node].sort() };
    case 'remove':
      return { voters: without(conf.voters), learners: without(conf.learners) };
  }
}
