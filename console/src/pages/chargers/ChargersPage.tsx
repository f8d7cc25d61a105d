import { Alert, Link, Paper, Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from "@mui/material";
import { Link as RouterLink } from "react-router";
import { withQuery } from "../../api/client";
import type { Charger, Page } from "../../api/types";
import { ConnectorChips } from "../../components/ConnectorChips";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { RelativeTime } from "../../components/RelativeTime";
import { ConnectionChip } from "../../components/StatusChip";
import { EmptyState } from "../../components/states";
import { usePolled } from "../../hooks/usePolled";
import { chargerPath } from "../../paths";
import { ChargerFilters } from "./ChargerFilters";
import { type ChargerFilterValues, useChargerFilters } from "./useChargerFilters";

/** As many as the API gives in one page; the search runs over them in the browser. */
const PAGE_SIZE = 500;

export function ChargersPage() {
  const [filters, setFilters] = useChargerFilters();
  const chargers = usePolled<Page<Charger>>(
    withQuery("/chargers", { limit: PAGE_SIZE, connected: filters.connected, status: filters.status }),
  );
  return (
    <>
      <PageHeader title="Chargers" subtitle="Every registered or connected charge point, live" />
      <ChargerFilters values={filters} onChange={setFilters} />
      <PolledContent polled={chargers}>{(page) => <ChargerTable page={page} filters={filters} />}</PolledContent>
    </>
  );
}

function matches(charger: Charger, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return [charger.id, charger.vendor, charger.model, charger.serialNumber, charger.firmwareVersion].some((field) =>
    field?.toLowerCase().includes(needle),
  );
}

function ChargerTable({ page, filters }: { page: Page<Charger>; filters: ChargerFilterValues }) {
  const rows = page.items.filter((charger) => matches(charger, filters.search));
  if (rows.length === 0) {
    const filtered = filters.search || filters.connected || filters.status;
    return filtered ? (
      <EmptyState title="No charger matches" hint="Change or clear the filters." />
    ) : (
      <EmptyState
        title="No chargers yet"
        hint="Chargers appear here once registered or once they connect (csms local --accept-unknown-chargers admits any). Try: csms simulate --chargers 3"
      />
    );
  }
  return (
    <>
      {page.nextToken !== null && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Showing the first {PAGE_SIZE} chargers; filter by connection or status to narrow the list.
        </Alert>
      )}
      <TableContainer component={Paper}>
        <Table size="small" aria-label="Chargers">
          <TableHead>
            <TableRow>
              <TableCell>Id</TableCell>
              <TableCell>Connection</TableCell>
              <TableCell>Connectors</TableCell>
              <TableCell>Vendor / model</TableCell>
              <TableCell>OCPP</TableCell>
              <TableCell>Firmware</TableCell>
              <TableCell>Last seen</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((charger) => (
              <TableRow key={charger.id} hover>
                <TableCell>
                  <Link component={RouterLink} to={chargerPath(charger.id)}>
                    {charger.id}
                  </Link>
                </TableCell>
                <TableCell>
                  <ConnectionChip connected={charger.connected} />
                </TableCell>
                <TableCell>
                  <ConnectorChips connectors={charger.connectors} />
                </TableCell>
                <TableCell>{[charger.vendor, charger.model].filter(Boolean).join(" ") || "—"}</TableCell>
                <TableCell>{charger.ocppVersion ?? "—"}</TableCell>
                <TableCell>{charger.firmwareVersion ?? "—"}</TableCell>
                <TableCell>
                  <RelativeTime iso={charger.lastSeen} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </>
  );
}
