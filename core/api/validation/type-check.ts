// Compile-time proof that a schema accepts exactly the documented type:
//   export type Checks = [Assert<AssertSame<z.output<typeof podSchema>, Pod>>];
// fails to compile when a field is added to, dropped from or typed differently
// in one and not the other, at any depth.

/** Same keys at every depth of objects and arrays (assignability does not see a missing optional field). */
type SameKeys<A, B> = A extends readonly (infer EA)[]
  ? B extends readonly (infer EB)[]
    ? SameKeys<EA, EB>
    : false
  : A extends object
    ? B extends object
      ? [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
        ? { [K in keyof A & keyof B]-?: SameKeys<NonNullable<A[K]>, NonNullable<B[K]>> }[keyof A & keyof B] extends true
          ? true
          : false
        : false
      : false
    : true;

/** True when A and B are mutually assignable and have the same keys throughout. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeys<A, B> : false) : false;

export type AssertSame<A, B> = Same<A, B> extends true ? true : { error: 'schema and type differ'; schema: A; type: B };

export type Assert<T extends true> = T;
