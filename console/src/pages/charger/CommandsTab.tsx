import { Dialog, DialogContent, DialogTitle, Paper, Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from "@mui/material";
import { useState } from "react";
import { segment, withQuery } from "../../api/client";
import type { Command, Page } from "../../api/types";
import { outcome } from "../../commands/commandState";
import { CommandProgress } from "../../commands/CommandProgress";
import { PolledContent } from "../../components/PolledContent";
import { StatusChip } from "../../components/StatusChip";
import { EmptyState } from "../../components/states";
import { formatDateTime } from "../../format";
import { usePolled } from "../../hooks/usePolled";
import { useChargerContext } from "./chargerContext";

/** The commands sent to the charger, newest first, with their outcomes; a row opens its details. */
export function CommandsTab() {
  const { charger } = useChargerContext();
  const commands = usePolled<Page<Command>>(withQuery(`/chargers/${segment(charger.id)}/commands`, { limit: 100 }));
  const [shown, setShown] = useState<Command | null>(null);
  return (
    <>
      <PolledContent
        polled={commands}
        isEmpty={(page) => page.items.length === 0}
        empty={<EmptyState title="No commands yet" hint="Commands sent to this charger, and what came of them, show up here." />}
      >
        {(page) => (
          <TableContainer component={Paper}>
            <Table size="small" aria-label="Commands">
              <TableHead>
                <TableRow>
                  <TableCell>Action</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Outcome</TableCell>
                  <TableCell>Submitted</TableCell>
                  <TableCell>Finished</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {page.items.map((command) => (
                  <TableRow key={command.commandId} hover onClick={() => setShown(command)} sx={{ cursor: "pointer" }}>
                    <TableCell>{command.action}</TableCell>
                    <TableCell>
                      <StatusChip status={command.status} />
                    </TableCell>
                    <TableCell sx={{ maxWidth: 420, overflowWrap: "anywhere" }}>{outcome(command) || "—"}</TableCell>
                    <TableCell>{formatDateTime(command.createdAt)}</TableCell>
                    <TableCell>{formatDateTime(command.finishedAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </PolledContent>
      {shown !== null && (
        <Dialog open onClose={() => setShown(null)} fullWidth maxWidth="md">
          <DialogTitle>
            {shown.action} · {formatDateTime(shown.createdAt)}
          </DialogTitle>
          <DialogContent dividers>
            <CommandProgress commandId={shown.commandId} />
          </DialogContent>
        </Dialog>
      )}
    </>
  );
}
