import { describe, expect, it } from "vitest";
import { describeStatus, emailProblem } from "./roles";

describe("users", () => {
  it("says where a user stands in words", () => {
    expect(describeStatus("FORCE_CHANGE_PASSWORD", true)).toBe("Invited");
    expect(describeStatus("CONFIRMED", true)).toBe("Active");
    expect(describeStatus("CONFIRMED", false)).toBe("Disabled");
    expect(describeStatus("RESET_REQUIRED", true)).toBe("RESET_REQUIRED");
  });

  it("invites e-mail addresses only", () => {
    expect(emailProblem("alice@example.com")).toBeNull();
    expect(emailProblem("alice")).not.toBeNull();
    expect(emailProblem("alice@example")).not.toBeNull();
    expect(emailProblem("al ice@example.com")).not.toBeNull();
  });
});
