import { segment } from "../api/client";
import type { Command } from "../api/types";
import { type Polled, usePolled } from "../hooks/usePolled";
import { isFinished } from "./commandState";

/** How often a command in flight is asked after: an answer usually comes within a second or two. */
const FOLLOW_INTERVAL_MS = 1000;

/** A command, polled until it is finished. */
export function useCommand(commandId: string): Polled<Command> {
  return usePolled<Command>(`/commands/${segment(commandId)}`, { intervalMs: FOLLOW_INTERVAL_MS, until: isFinished });
}
