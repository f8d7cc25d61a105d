import type { ReactNode } from "react";
import type { Polled } from "../hooks/usePolled";
import { ErrorState, Loading, StaleNotice } from "./states";

interface Props<T> {
  polled: Polled<T>;
  children: (data: T) => ReactNode;
  /** Shown instead of `children` when `isEmpty(data)`. */
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
}

/** Loading, error, empty or the data of a polled resource (a failed refresh keeps the last data). */
export function PolledContent<T>({ polled, children, empty, isEmpty }: Props<T>) {
  const { data, error, reload } = polled;
  if (data === undefined) {
    return error === undefined ? <Loading /> : <ErrorState error={error} onRetry={reload} />;
  }
  return (
    <>
      {error !== undefined && <StaleNotice error={error} />}
      {empty !== undefined && isEmpty?.(data) ? empty : children(data)}
    </>
  );
}
