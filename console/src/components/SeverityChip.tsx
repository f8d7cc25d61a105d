import { Chip, type ChipProps } from "@mui/material";
import type { Severity } from "../api/types";

const COLORS: Record<Severity, ChipProps["color"]> = { error: "error", warning: "warning", info: "default" };

export function SeverityChip({ severity }: { severity: Severity }) {
  return <Chip size="small" variant="outlined" color={COLORS[severity]} label={severity} />;
}
