// The errors of the controllers. Expected outcomes (no revision to roll
// back to) are returned as values holding these; nothing here is thrown
// except for bugs.

/** Base of every error the controllers report on purpose. */
export abstract class ControllerError extends Error {
  abstract readonly code: string;
}

/** `rollout undo` found no revision to go back to: none before the current one, or not the one asked for. */
export class RollbackRevisionNotFoundError extends ControllerError {
  override readonly name = 'RollbackRevisionNotFoundError';
  readonly code = 'ROLLBACK_REVISION_NOT_FOUND';
  constructor(
    readonly namespace: string | undefined,
    readonly deploymentName: string,
    /** The revision asked for; absent: the previous one. */
    readonly toRevision: number | undefined,
    /** The revisions that do exist, ascending. */
    readonly knownRevisions: readonly number[],
    options?: ErrorOptions,
  ) {
    const what = toRevision === undefined ? 'no previous revision' : `no revision ${toRevision}`;
    const known = knownRevisions.length > 0 ? ` (known: ${knownRevisions.join(', ')})` : '';
    super(`deployment "${deploymentName}" has ${what} to roll back to${known}`, options);
  }
}
