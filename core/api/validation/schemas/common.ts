// Building blocks shared by the kinds' schemas: names, labels, quantities,
// ports, metadata, references, selectors, conditions.

import { z } from 'zod';
import type { QuantityKind } from '../../quantity.js';
import { parseQuantity } from '../../quantity.js';
import {
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelValue,
  checkPortName,
  checkQualifiedName,
} from '../../names.js';
import { API_VERSION } from '../../types/meta.js';
import type { ConditionStatus } from '../../types/meta.js';

/** A string that must pass `check`, which returns the broken rule or undefined. */
export function stringWith(check: (value: string) => string | undefined) {
  return z.string().superRefine((value, ctx) => {
    const rule = check(value);
    if (rule !== undefined) ctx.addIssue({ code: 'custom', message: rule, input: value });
  });
}

export const nonEmptyString = () => z.string().min(1, 'must not be empty');
export const dns1123Label = () => stringWith(checkDns1123Label);
export const dns1123Subdomain = () => stringWith(checkDns1123Subdomain);
export const qualifiedName = () => stringWith(checkQualifiedName);
export const labelValue = () => stringWith(checkLabelValue);
export const portName = () => stringWith(checkPortName);

export const apiVersionSchema = z.literal(API_VERSION);

/** Which rule an object's name follows. */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label';

export const TIMESTAMP_RULE = 'must be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z';
export const timestamp = () => z.iso.datetime({ offset: true, error: TIMESTAMP_RULE });

/** A type error's rule: `is required` when the field is missing, else `rule`. */
export function typeRule(rule: string) {
  return (issue: { readonly input?: unknown }): string => (issue.input === undefined ? 'is required' : rule);
}

/** An integer (zod's own type error does not tell integers from numbers). */
export const integer = () => z.int({ error: typeRule('must be an integer') });

export const PORT_RULE = 'must be an integer between 1 and 65535';
export const portNumber = () => z.int({ error: typeRule(PORT_RULE) }).min(1, PORT_RULE).max(65535, PORT_RULE);

/** A port number, or the name of a container port. */
export const portNumberOrName = () =>
  z.union([z.number(), z.string()], { error: `must be a port number or a port name` }).superRefine((value, ctx) => {
    const rule =
      typeof value === 'number'
        ? Number.isInteger(value) && value >= 1 && value <= 65535
          ? undefined
          : PORT_RULE
        : checkPortName(value);
    if (rule !== undefined) ctx.addIssue({ code: 'custom', message: rule, input: value });
  });

export const protocolSchema = z.enum(['TCP', 'UDP']);

export const nonNegativeInt = () => integer().min(0, 'must be >= 0');
export const positiveInt = () => integer().min(1, 'must be >= 1');

const INT_OR_PERCENT_RULE = 'must be an integer >= 0 or a percentage such as 25%';
const PERCENT = /^(\d+)%$/;

/** An integer >= 0 or a percentage (`25%`). */
export const intOrPercent = () =>
  z.union([z.number(), z.string()], { error: INT_OR_PERCENT_RULE }).superRefine((value, ctx) => {
    const valid = typeof value === 'number' ? Number.isInteger(value) && value >= 0 : PERCENT.test(value);
    if (!valid) ctx.addIssue({ code: 'custom', message: INT_OR_PERCENT_RULE, input: value });
  });

/** The percentage of an int-or-percent, or undefined for an integer. */
export function percentOf(value: number | string): number | undefined {
  if (typeof value === 'number') return undefined;
  const m = PERCENT.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** A quantity (`500m`, `128Mi`, `2`) of the given kind. */
export const quantity = (kind: QuantityKind) =>
  z.union([z.string(), z.number()], { error: `must be a quantity (a string such as 500m or 128Mi, or a number)` }).superRefine(
    (value, ctx) => {
      const parsed = parseQuantity(value, kind);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.rule, input: value });
    },
  );

/** Keys are qualified names; with `labelValues`, values follow the label value rule. */
function keyValueMap(labelValues: boolean) {
  return z.record(z.string(), z.string()).superRefine((map, ctx) => {
    for (const [key, value] of Object.entries(map)) {
      const keyRule = checkQualifiedName(key);
      if (keyRule !== undefined) ctx.addIssue({ code: 'custom', message: `key ${keyRule}`, path: [key], input: key });
      const valueRule = labelValues ? checkLabelValue(value) : undefined;
      if (valueRule !== undefined) ctx.addIssue({ code: 'custom', message: `value ${valueRule}`, path: [key], input: value });
    }
  });
}

export const labelsSchema = () => keyValueMap(true);

/** Annotations may hold any text, up to 256 KiB in all. */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;
export const annotationsSchema = () =>
  keyValueMap(false).superRefine((map, ctx) => {
    let total = 0;
    for (const [key, value] of Object.entries(map)) total += Buffer.byteLength(key) + Buffer.byteLength(value);
    if (total > ANNOTATIONS_MAX_BYTES) {
      ctx.addIssue({ code: 'custom', message: `must total at most ${ANNOTATIONS_MAX_BYTES} bytes (keys and values)`, input: total });
    }
  });

export const ownerReferenceSchema = z.strictObject({
  apiVersion: nonEmptyString(),
  kind: nonEmptyString(),
  name: nonEmptyString(),
  uid: nonEmptyString(),
  controller: z.boolean().exactOptional(),
  blockOwnerDeletion: z.boolean().exactOptional(),
});

export const objectReferenceSchema = z.strictObject({
  apiVersion: nonEmptyString().exactOptional(),
  kind: nonEmptyString(),
  namespace: dns1123Label().exactOptional(),
  name: nonEmptyString(),
  uid: nonEmptyString().exactOptional(),
  resourceVersion: z.string().exactOptional(),
  fieldPath: z.string().exactOptional(),
});

const RESOURCE_VERSION_RULE = 'must be a store revision in decimal';

/**
 * Metadata. The name's presence and the namespace's presence depend on the
 * kind and on whether defaults have been applied; validate.ts checks them.
 */
export function objectMetaSchema(nameRule: NameRule) {
  return z.strictObject({
    name: nameRule === 'dns1123-label' ? dns1123Label() : dns1123Subdomain(),
    namespace: dns1123Label().exactOptional(),
    labels: labelsSchema().exactOptional(),
    annotations: annotationsSchema().exactOptional(),
    uid: nonEmptyString().exactOptional(),
    resourceVersion: z.string().regex(/^\d+$/, RESOURCE_VERSION_RULE).exactOptional(),
    generation: positiveInt().exactOptional(),
    creationTimestamp: timestamp().exactOptional(),
    deletionTimestamp: timestamp().exactOptional(),
    deletionGracePeriodSeconds: nonNegativeInt().exactOptional(),
    ownerReferences: z
      .array(ownerReferenceSchema)
      .superRefine((refs, ctx) => {
        if (refs.filter((r) => r.controller === true).length > 1) {
          ctx.addIssue({ code: 'custom', message: 'must have at most one reference with controller: true', input: refs });
        }
        uniqueBy(refs, (r) => r.uid, ctx, 'uid', 'owner uid');
      })
      .exactOptional(),
    finalizers: z
      .array(qualifiedName())
      .superRefine((list, ctx) => uniqueBy(list, (f) => f, ctx, undefined, 'finalizer'))
      .exactOptional(),
  });
}

/**
 * Reports every item whose key repeats an earlier item's: at `[i].<field>` (or `[i]`),
 * rule `must be unique (<what> "x" is also at [j])`.
 */
export function uniqueBy<T>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
  ctx: z.core.$RefinementCtx,
  field: string | undefined,
  what: string,
  pathPrefix: readonly (string | number)[] = [],
): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    if (key === undefined) return;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return;
    }
    const path = field === undefined ? [...pathPrefix, i] : [...pathPrefix, i, field];
    ctx.addIssue({ code: 'custom', message: `must be unique (${what} ${JSON.stringify(key)} is also at [${first}])`, path, input: key });
  });
}

/** In and NotIn need values; Exists and DoesNotExist take none. */
export function checkOperatorValues(
  operator: string,
  values: readonly string[] | undefined,
  ctx: z.core.$RefinementCtx,
): void {
  const count = values?.length ?? 0;
  if ((operator === 'In' || operator === 'NotIn') && count === 0) {
    ctx.addIssue({ code: 'custom', message: `must not be empty when operator is ${operator}`, path: ['values'], input: values });
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && count > 0) {
    ctx.addIssue({ code: 'custom', message: `must be empty when operator is ${operator}`, path: ['values'], input: values });
  }
}

export const labelSelectorRequirementSchema = z
  .strictObject({
    key: qualifiedName(),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(labelValue()).exactOptional(),
  })
  .superRefine((r, ctx) => checkOperatorValues(r.operator, r.values, ctx));

export const labelSelectorSchema = z.strictObject({
  matchLabels: labelsSchema().exactOptional(),
  matchExpressions: z.array(labelSelectorRequirementSchema).exactOptional(),
});

export const conditionStatusSchema = z.enum(['True', 'False', 'Unknown'] satisfies ConditionStatus[]);

/** The fields every condition has, for `z.strictObject({ ...conditionFields(types), ... })`. */
export function conditionFields<const T extends readonly [string, ...string[]]>(types: T) {
  return {
    type: z.enum(types),
    status: conditionStatusSchema,
    lastTransitionTime: timestamp().exactOptional(),
    reason: z.string().exactOptional(),
    message: z.string().exactOptional(),
  };
}
