import { Chip } from "@mui/material";
import type { LimitSource } from "../../api/types";

const LABELS: Record<LimitSource, string> = { configured: "configured", schedule: "schedule", live: "live limit" };

/** Where a site's limit in force comes from: its configured grid limit, a schedule period, or a live limit. */
export function LimitSourceChip({ source }: { source: LimitSource }) {
  return <Chip size="small" variant="outlined" color={source === "configured" ? "default" : "warning"} label={LABELS[source]} />;
}
