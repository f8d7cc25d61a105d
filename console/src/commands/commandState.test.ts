import { describe, expect, it } from "vitest";
import type { Command } from "../api/types";
import { isFinished, outcome, stage } from "./commandState";

function command(fields: Partial<Command>): Command {
  return {
    commandId: "c-1",
    chargerId: "CP-1",
    ocppVersion: "1.6",
    action: "Reset",
    status: "Pending",
    request: {},
    response: null,
    error: null,
    executionArn: null,
    followUp: null,
    result: null,
    createdAt: "2026-01-01T00:00:00Z",
    sentAt: null,
    answeredAt: null,
    finishedAt: null,
    ...fields,
  };
}

describe("command state", () => {
  it("is finished only once it has finishedAt", () => {
    expect(isFinished(command({ status: "Accepted", followUp: { kind: "BackOnline", timeoutSeconds: 300 } }))).toBe(false);
    expect(isFinished(command({ status: "Accepted", finishedAt: "2026-01-01T00:00:01Z" }))).toBe(true);
  });

  it("says what an accepted command still waits for", () => {
    const waiting = command({ status: "Accepted", followUp: { kind: "BackOnline", timeoutSeconds: 300 } });
    expect(stage(waiting)).toBe("Accepted, waiting for BackOnline (up to 300 s)");
    expect(stage(command({ status: "Sent" }))).toBe("Sent");
  });

  it("sums up the error, else the follow-up's result, else the response's status", () => {
    expect(outcome(command({ error: { code: "Timeout", description: "No answer" } }))).toBe("Timeout: No answer");
    expect(outcome(command({ result: { cameBack: true }, response: { status: "Accepted" } }))).toBe("cameBack true");
    expect(outcome(command({ response: { status: "Rejected" } }))).toBe("Rejected");
    expect(outcome(command({}))).toBe("");
  });
});
