import { Chip, type ChipProps } from "@mui/material";

type Color = ChipProps["color"];

/** OCPP 1.6 ChargePointStatus and 2.0.1 ConnectorStatusEnumType, command statuses and profile statuses. */
const COLORS: Record<string, Color> = {
  Available: "success",
  Preparing: "info",
  Charging: "primary",
  Occupied: "primary",
  SuspendedEV: "warning",
  SuspendedEVSE: "warning",
  Finishing: "info",
  Reserved: "secondary",
  Unavailable: "default",
  Faulted: "error",
  Pending: "default",
  Sent: "info",
  Accepted: "success",
  Applied: "success",
  Rejected: "warning",
  Failed: "error",
  TimedOut: "error",
  Offline: "default",
  Active: "primary",
  Completed: "default",
};

export function StatusChip({ status, label, size = "small" }: { status: string; label?: string; size?: ChipProps["size"] }) {
  return <Chip size={size} color={COLORS[status] ?? "default"} label={label ?? status} />;
}

export function ConnectionChip({ connected }: { connected: boolean }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      color={connected ? "success" : "default"}
      label={connected ? "Connected" : "Offline"}
    />
  );
}
