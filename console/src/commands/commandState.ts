import type { Command } from "../api/types";

/** Finished once it has `finishedAt`: answered with no follow-up, its follow-up over, or failed. */
export function isFinished(command: Command): boolean {
  return command.finishedAt !== null;
}

/** Where a command stands, in words ("Accepted, waiting for BackOnline (up to 300 s)"). */
export function stage(command: Command): string {
  const { followUp } = command;
  if (command.status === "Accepted" && followUp !== null && !isFinished(command)) {
    return `Accepted, waiting for ${followUp.kind} (up to ${followUp.timeoutSeconds} s)`;
  }
  return command.status;
}

/** What came of it in a few words: the error, the follow-up's result, or the response's status. */
export function outcome(command: Command): string {
  if (command.error !== null) return `${command.error.code}: ${command.error.description}`;
  if (command.result !== null) {
    return Object.entries(command.result)
      .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
      .join(", ");
  }
  const status = command.response?.status;
  return typeof status === "string" ? status : "";
}
