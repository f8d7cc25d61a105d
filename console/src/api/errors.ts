/** An answer of the operator API other than 2xx/304, in its one error shape. */
export class ApiError extends Error {
  readonly status: number;
  readonly reasons: readonly string[];

  constructor(status: number, message: string, reasons: readonly string[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.reasons = reasons;
  }

  /** The role of the signed-in user may not do this (the API enforces roles). */
  get forbidden(): boolean {
    return this.status === 403;
  }
}

interface ErrorBody {
  message?: unknown;
  reasons?: unknown;
}

export async function apiErrorFrom(response: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const message = typeof body.message === "string" ? body.message : response.statusText || "Request failed";
  const reasons = Array.isArray(body.reasons) ? body.reasons.map(String) : [];
  return new ApiError(response.status, message, reasons);
}

/** What to show for an error: 403 in words a user understands, a failed request with its reasons. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.forbidden) return "Not allowed for your role.";
    return [error.message, ...error.reasons].join(" — ");
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
