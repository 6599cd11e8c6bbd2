/** A pod worker was given something it cannot work with (a bug of its caller). */
export class PodWorkerError extends Error {
  override readonly name = 'PodWorkerError';

  constructor(
    readonly code: 'POD_WITHOUT_UID',
    readonly podNamespace: string,
    readonly podName: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`pod worker for ${podNamespace}/${podName}: ${message}`, options);
  }
}
