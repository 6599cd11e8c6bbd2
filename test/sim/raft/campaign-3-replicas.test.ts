import { raftCampaign } from './campaign.js';

raftCampaign('test/sim/raft/campaign-3-replicas.test.ts', 3);
