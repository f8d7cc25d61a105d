import { Card, CardContent, CardHeader, Grid, Table, TableBody, TableCell, TableHead, TableRow } from "@mui/material";
import type { ReactNode } from "react";
import { RelativeTime } from "../../components/RelativeTime";
import { StatusChip } from "../../components/StatusChip";
import { EmptyState } from "../../components/states";
import { connectorName, formatDateTime } from "../../format";
import { useChargerContext } from "./chargerContext";

/** Connectors with their live status, and what the charger said about itself. */
export function StatusTab() {
  const { charger } = useChargerContext();
  const identity: [string, ReactNode][] = [
    ["Vendor", charger.vendor ?? "—"],
    ["Model", charger.model ?? "—"],
    ["Serial number", charger.serialNumber ?? "—"],
    ["Firmware", charger.firmwareVersion ?? "—"],
    ["OCPP version", charger.ocppVersion ?? "not connected yet"],
    ["Last boot", formatDateTime(charger.lastBoot)],
    ["Last seen", <RelativeTime key="seen" iso={charger.lastSeen} />],
    ["Password", charger.hasPassword ? "set" : "none"],
    ["Tariff", charger.tariffId ?? "default"],
  ];
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, lg: 7 }}>
        <Card>
          <CardHeader title="Connectors" />
          {charger.connectors.length === 0 ? (
            <CardContent>
              <EmptyState title="No connector reported yet" hint="Connectors appear with the charger's first StatusNotification." />
            </CardContent>
          ) : (
            <Table size="small" aria-label="Connectors">
              <TableHead>
                <TableRow>
                  <TableCell>Connector</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Error</TableCell>
                  <TableCell>Since</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {charger.connectors.map((connector) => (
                  <TableRow key={connectorName(connector)}>
                    <TableCell>{connectorName(connector)}</TableCell>
                    <TableCell>
                      <StatusChip status={connector.status} />
                    </TableCell>
                    <TableCell>
                      {[connector.errorCode === "NoError" ? null : connector.errorCode, connector.info].filter(Boolean).join(" · ") || "—"}
                    </TableCell>
                    <TableCell>{formatDateTime(connector.timestamp)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Card>
      </Grid>
      <Grid size={{ xs: 12, lg: 5 }}>
        <Card>
          <CardHeader title="Identity and firmware" />
          <Table size="small" aria-label="Identity and firmware">
            <TableBody>
              {identity.map(([label, value]) => (
                <TableRow key={label}>
                  <TableCell component="th" scope="row" sx={{ fontWeight: 600 }}>
                    {label}
                  </TableCell>
                  <TableCell>{value}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      </Grid>
    </Grid>
  );
}
