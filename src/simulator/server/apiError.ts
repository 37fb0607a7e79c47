/**
 * An error answer a route handler throws. Vast's usual shape is `{success:false, error, msg}`; some
 * answers add fields (create adds `ask_id`), which go in `extra`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get body(): Record<string, unknown> {
    return { success: false, error: this.code, msg: this.message, ...this.extra };
  }
}
