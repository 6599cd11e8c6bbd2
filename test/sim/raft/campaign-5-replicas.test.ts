import { raftCampaign } from './campaign.js';

raftCampaign('test/sim/raft/campaign-5-replicas.test.ts', 5);
