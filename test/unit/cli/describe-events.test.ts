import { describe, expect, it } from 'vitest';
import { eventAge, eventsAbout, eventSelectorFor, formatEventsSection } from '../../../bin/commands/describe-events.js';
import type { Event } from '../../../core/api/index.js';
import { node, pod } from './objects.js';

const NOW = Date.parse('2026-01-01T00:05:00Z');

function event(name: string, about: { kind: string; name: string; uid?: string; namespace?: string }, fields: Partial<Event> = {}): Event {
  return {
    apiVersion: 'drover/v1',
    kind: 'Event',
    metadata: { name, namespace: 'default', creationTimestamp: '2026-01-01T00:01:00Z' },
    involvedObject: about,
    ...fields,
  };
}

const scheduled = event('e1', { kind: 'Pod', name: 'web', uid: 'uid-web' }, {
  type: 'Normal',
  reason: 'Scheduled',
  message: 'assigned default/web to n1',
  source: { component: 'scheduler' },
  lastTimestamp: '2026-01-01T00:01:00Z',
});
const backOff = event('e2', { kind: 'Pod', name: 'web' }, {
  type: 'Warning',
  reason: 'BackOff',
  message: 'back-off 40s restarting failed container=c pod=default/web',
  source: { component: 'node-agent', host: 'n1' },
  count: 5,
  firstTimestamp: '2026-01-01T00:02:00Z',
  lastTimestamp: '2026-01-01T00:04:30Z',
});

describe('the Events section of describe', () => {
  it('selects the Events about the object by kind and name', () => {
    expect(eventSelectorFor(pod('web'))).toBe('involvedObject.name=web,involvedObject.kind=Pod');
    expect(eventSelectorFor(node('n1'))).toBe('involvedObject.name=n1,involvedObject.kind=Node');
  });

  it("keeps only the object's own, oldest first: not another kind's, nor an earlier object's of the same name", () => {
    const all = [
      backOff,
      scheduled,
      event('e3', { kind: 'Deployment', name: 'web' }),
      event('e4', { kind: 'Pod', name: 'web', uid: 'uid-of-an-earlier-web' }),
      event('e5', { kind: 'Pod', name: 'web', namespace: 'team' }),
      event('e6', { kind: 'Pod', name: 'db' }),
    ];
    expect(eventsAbout(pod('web'), all).map((e) => e.metadata.name)).toEqual(['e1', 'e2']);
  });

  it('prints Type Reason Age From Message, repeats with their count', () => {
    expect(eventAge(backOff, NOW)).toBe('30s (x5 over 3m)');
    expect(eventAge(scheduled, NOW)).toBe('4m');
    expect(formatEventsSection([scheduled, backOff], NOW).split('\n')).toEqual([
      'Events:',
      '  Type      Reason      Age                From             Message',
      '  ----      ------      ---                ----             -------',
      '  Normal    Scheduled   4m                 scheduler        assigned default/web to n1',
      '  Warning   BackOff     30s (x5 over 3m)   node-agent, n1   back-off 40s restarting failed container=c pod=default/web',
    ]);
  });

  it('says <none>, or why they could not be read', () => {
    expect(formatEventsSection([], NOW)).toBe('Events:             <none>');
    expect(formatEventsSection([], NOW, 'no master answered')).toBe('Events:             <unavailable: no master answered>');
  });
});
