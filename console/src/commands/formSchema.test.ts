import { describe, expect, it } from "vitest";
import { schemaForForm } from "./formSchema";

describe("schemaForForm", () => {
  it("drops $schema and 2.0.1's customData everywhere, keeping the rest", () => {
    const official = {
      $schema: "http://json-schema.org/draft-06/schema#",
      definitions: {
        CustomDataType: { type: "object", properties: { vendorId: { type: "string" } } },
        EvseType: { type: "object", properties: { customData: { $ref: "#/definitions/CustomDataType" }, id: { type: "integer" } } },
      },
      type: "object",
      properties: { customData: { $ref: "#/definitions/CustomDataType" }, evse: { $ref: "#/definitions/EvseType" } },
      required: ["evse"],
    };
    expect(schemaForForm(official)).toEqual({
      definitions: { EvseType: { type: "object", properties: { id: { type: "integer" } } } },
      type: "object",
      properties: { evse: { $ref: "#/definitions/EvseType" } },
      required: ["evse"],
    });
  });
});
