// Schema of Event.

import { z } from 'zod';
import type { Event } from '../../types/event.js';
import type { Assert, AssertSame } from '../type-check.js';
import { apiVersionSchema, nonEmptyString, objectMetaSchema, objectReferenceSchema, positiveInt, timestamp } from './common.js';

export const eventSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Event'),
  metadata: objectMetaSchema('dns1123-subdomain'),
  involvedObject: objectReferenceSchema,
  reason: z.string().exactOptional(),
  message: z.string().exactOptional(),
  type: z.enum(['Normal', 'Warning']).exactOptional(),
  count: positiveInt().exactOptional(),
  firstTimestamp: timestamp().exactOptional(),
  lastTimestamp: timestamp().exactOptional(),
  source: z.strictObject({ component: nonEmptyString().exactOptional(), host: nonEmptyString().exactOptional() }).exactOptional(),
});

export type EventSchemaChecks = [Assert<AssertSame<z.output<typeof eventSchema>, Event>>];
