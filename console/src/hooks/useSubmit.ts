import { useCallback, useState } from "react";

export interface Submit {
  /** Run `change` (a request that changes something); true once it succeeded, false when it failed (see `error`). */
  run: (change: () => Promise<unknown>) => Promise<boolean>;
  pending: boolean;
  /** Why the last change failed (the API's refusal); undefined after a success or `clearError`. */
  error: unknown;
  clearError: () => void;
}

/** The state of a form's submission: pending while the request runs, the API's refusal after. */
export function useSubmit(): Submit {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(async (change: () => Promise<unknown>) => {
    setPending(true);
    setError(undefined);
    try {
      await change();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setPending(false);
    }
  }, []);
  const clearError = useCallback(() => setError(undefined), []);
  return { run, pending, error, clearError };
}
