import SearchIcon from "@mui/icons-material/Search";
import { InputAdornment, MenuItem, Stack, TextField } from "@mui/material";
import type { ChargerFilterValues } from "./useChargerFilters";

/** Connector statuses of OCPP 1.6 and 2.0.1, for the status filter. */
const CONNECTOR_STATUSES = [
  "Available",
  "Preparing",
  "Charging",
  "Occupied",
  "SuspendedEV",
  "SuspendedEVSE",
  "Finishing",
  "Reserved",
  "Unavailable",
  "Faulted",
];

export function ChargerFilters({ values, onChange }: { values: ChargerFilterValues; onChange: (change: Partial<ChargerFilterValues>) => void }) {
  return (
    <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ mb: 2 }}>
      <TextField
        label="Search"
        placeholder="Id, vendor, model, serial number, firmware"
        value={values.search}
        onChange={(event) => onChange({ search: event.target.value })}
        sx={{ flexGrow: 1 }}
        slotProps={{ input: { startAdornment: <InputAdornment position="start"><SearchIcon /></InputAdornment> } }}
      />
      <TextField
        select
        label="Connection"
        value={values.connected}
        onChange={(event) => onChange({ connected: event.target.value as ChargerFilterValues["connected"] })}
        sx={{ minWidth: 160 }}
      >
        <MenuItem value="">Any</MenuItem>
        <MenuItem value="true">Connected</MenuItem>
        <MenuItem value="false">Offline</MenuItem>
      </TextField>
      <TextField
        select
        label="Connector status"
        value={values.status}
        onChange={(event) => onChange({ status: event.target.value })}
        sx={{ minWidth: 180 }}
      >
        <MenuItem value="">Any</MenuItem>
        {CONNECTOR_STATUSES.map((status) => (
          <MenuItem key={status} value={status}>
            {status}
          </MenuItem>
        ))}
      </TextField>
    </Stack>
  );
}
