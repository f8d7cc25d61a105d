import SearchIcon from "@mui/icons-material/Search";
import { InputAdornment, Paper, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, TextField } from "@mui/material";
import { useState } from "react";
import type { ConfigurationEntry } from "../../api/types";
import { EmptyState } from "../../components/states";
import { formatDateTime } from "../../format";
import { useChargerContext } from "./chargerContext";

/** Where a 2.0.1 variable lives ("EVSE 1 / Connector 2 / SampledDataCtrlr"); a 1.6 key has no component. */
function location(entry: ConfigurationEntry): string {
  return [
    entry.evseId === null ? null : `EVSE ${entry.evseId}`,
    entry.connectorId === null ? null : `Connector ${entry.connectorId}`,
    entry.component === null ? null : [entry.component, entry.componentInstance].filter(Boolean).join(":"),
  ]
    .filter(Boolean)
    .join(" / ");
}

function variableName(entry: ConfigurationEntry): string {
  return [entry.variable, entry.variableInstance].filter(Boolean).join(":");
}

/** The configuration the charger reported (1.6 GetConfiguration, 2.0.1 reports and GetVariables). */
export function ConfigurationTab() {
  const { charger } = useChargerContext();
  const [search, setSearch] = useState("");
  if (charger.configuration.length === 0) {
    return (
      <EmptyState
        title="No configuration reported yet"
        hint="It is stored when the charger answers GetConfiguration (1.6) or sends a report (2.0.1: GetBaseReport, GetVariables). Send one with Other command…"
      />
    );
  }
  const needle = search.trim().toLowerCase();
  const rows = charger.configuration.filter((entry) =>
    [location(entry), variableName(entry), entry.value ?? ""].some((text) => text.toLowerCase().includes(needle)),
  );
  const hasComponents = charger.configuration.some((entry) => entry.component !== null);
  return (
    <>
      <TextField
        label="Search"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        sx={{ mb: 2, minWidth: 320 }}
        slotProps={{ input: { startAdornment: <InputAdornment position="start"><SearchIcon /></InputAdornment> } }}
      />
      <TableContainer component={Paper}>
        <Table size="small" aria-label="Configuration">
          <TableHead>
            <TableRow>
              {hasComponents && <TableCell>Component</TableCell>}
              <TableCell>{hasComponents ? "Variable" : "Key"}</TableCell>
              {hasComponents && <TableCell>Attribute</TableCell>}
              <TableCell>Value</TableCell>
              <TableCell>Mutability</TableCell>
              <TableCell>Reported</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((entry) => (
              <TableRow key={`${location(entry)}/${variableName(entry)}/${entry.attributeType}`}>
                {hasComponents && <TableCell>{location(entry) || "—"}</TableCell>}
                <TableCell>{variableName(entry)}</TableCell>
                {hasComponents && <TableCell>{entry.attributeType}</TableCell>}
                <TableCell sx={{ overflowWrap: "anywhere", maxWidth: 360 }}>{entry.value ?? "—"}</TableCell>
                <TableCell>{entry.mutability ?? "—"}</TableCell>
                <TableCell>{formatDateTime(entry.reportedAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </>
  );
}
