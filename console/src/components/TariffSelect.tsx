import { MenuItem, TextField } from "@mui/material";
import { withQuery } from "../api/client";
import type { Page, Tariff } from "../api/types";
import { usePolled } from "../hooks/usePolled";

interface Props {
  value: string;
  onChange: (tariffId: string) => void;
  /** What choosing none means here ("the charger's", "the default tariff"). */
  noneLabel: string;
  helperText?: string;
}

/** Choose one of the tariffs (or none): what a charger's or an id token's sessions are priced by. */
export function TariffSelect({ value, onChange, noneLabel, helperText }: Props) {
  const tariffs = usePolled<Page<Tariff>>(withQuery("/tariffs", { limit: 500 }), { live: false });
  const ids = (tariffs.data?.items ?? []).map((tariff) => tariff.tariffId).sort();
  // A tariff named before the list arrived (or since deleted) stays choosable.
  if (value && !ids.includes(value)) ids.unshift(value);
  return (
    <TextField
      select
      label="Tariff"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      helperText={tariffs.error === undefined ? helperText : "Could not load the tariffs"}
      error={tariffs.error !== undefined}
      slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
    >
      <MenuItem value="">
        <em>None: {noneLabel}</em>
      </MenuItem>
      {ids.map((id) => (
        <MenuItem key={id} value={id}>
          {id}
        </MenuItem>
      ))}
    </TextField>
  );
}
