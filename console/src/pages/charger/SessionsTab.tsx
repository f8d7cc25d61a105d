import { Button, Paper, Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from "@mui/material";
import { useState } from "react";
import { withQuery } from "../../api/client";
import type { Page, Transaction } from "../../api/types";
import { useMe } from "../../auth/MeContext";
import { CommandDialog } from "../../commands/CommandDialog";
import { StopForm } from "../../commands/forms/StopForm";
import { PolledContent } from "../../components/PolledContent";
import { StatusChip } from "../../components/StatusChip";
import { EmptyState } from "../../components/states";
import { connectorName, formatDateTime, formatEnergy } from "../../format";
import { usePolled } from "../../hooks/usePolled";
import { useChargerContext } from "./chargerContext";

/** The charger's sessions, newest first; an active one can be stopped from here. */
export function SessionsTab() {
  const { charger } = useChargerContext();
  const { canOperate } = useMe();
  const sessions = usePolled<Page<Transaction>>(withQuery("/transactions", { chargerId: charger.id }));
  const [stopping, setStopping] = useState<string | null>(null);
  return (
    <>
      <PolledContent
        polled={sessions}
        isEmpty={(page) => page.items.length === 0}
        empty={<EmptyState title="No sessions yet" hint="Sessions appear when the charger starts a transaction." />}
      >
        {(page) => (
          <TableContainer component={Paper}>
            <Table size="small" aria-label="Sessions">
              <TableHead>
                <TableRow>
                  <TableCell>Session</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Connector</TableCell>
                  <TableCell>Id token</TableCell>
                  <TableCell>Started</TableCell>
                  <TableCell>Stopped</TableCell>
                  <TableCell align="right">Energy</TableCell>
                  {canOperate && <TableCell />}
                </TableRow>
              </TableHead>
              <TableBody>
                {page.items.map((session) => (
                  <TableRow key={session.transactionId}>
                    <TableCell>{session.transactionId}</TableCell>
                    <TableCell>
                      <StatusChip status={session.status} />
                    </TableCell>
                    <TableCell>{connectorName(session)}</TableCell>
                    <TableCell>{session.idToken ?? "—"}</TableCell>
                    <TableCell>{formatDateTime(session.startedAt)}</TableCell>
                    <TableCell>{session.stoppedAt === null ? (session.stopReason ?? "—") : formatDateTime(session.stoppedAt)}</TableCell>
                    <TableCell align="right">{formatEnergy(session.energyWh)}</TableCell>
                    {canOperate && (
                      <TableCell align="right">
                        {session.status === "Active" && (
                          <Button size="small" color="warning" onClick={() => setStopping(session.transactionId)}>
                            Stop
                          </Button>
                        )}
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </PolledContent>
      {stopping !== null && (
        <CommandDialog title="Stop" chargerId={charger.id} onClose={() => setStopping(null)}>
          {(command) => <StopForm charger={charger} command={command} transactionId={stopping} />}
        </CommandDialog>
      )}
    </>
  );
}
