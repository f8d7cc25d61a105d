import { MenuItem, TextField } from "@mui/material";
import type { Target } from "./targets";

interface Props {
  label: string;
  targets: Target[];
  /** The chosen target's label; "" for `noneLabel`. */
  value: string;
  onChange: (value: string) => void;
  /** When given, choosing no target is allowed and called this ("Any connector", "Whole charger"). */
  noneLabel?: string;
}

export function TargetSelect({ label, targets, value, onChange, noneLabel }: Props) {
  return (
    <TextField
      select
      label={label}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      required={noneLabel === undefined}
      helperText={targets.length === 0 ? "The charger has reported no connectors yet." : undefined}
    >
      {noneLabel !== undefined && <MenuItem value="">{noneLabel}</MenuItem>}
      {targets.map((target) => (
        <MenuItem key={target.label} value={target.label}>
          {target.label}
        </MenuItem>
      ))}
    </TextField>
  );
}
