import { Dialog, DialogContent, DialogTitle, Link, Paper, Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from "@mui/material";
import { useState } from "react";
import { Link as RouterLink } from "react-router";
import type { Command } from "../api/types";
import { StatusChip } from "../components/StatusChip";
import { formatDateTime } from "../format";
import { chargerPath } from "../paths";
import { outcome } from "./commandState";
import { CommandProgress } from "./CommandProgress";

/** Commands with their outcomes; a row opens the command's details (followed live until it finishes). */
export function CommandTable({ commands, hideCharger = false }: { commands: Command[]; hideCharger?: boolean }) {
  const [shown, setShown] = useState<Command | null>(null);
  return (
    <>
      <TableContainer component={Paper}>
        <Table size="small" aria-label="Commands">
          <TableHead>
            <TableRow>
              <TableCell>Action</TableCell>
              {!hideCharger && <TableCell>Charger</TableCell>}
              <TableCell>Status</TableCell>
              <TableCell>Outcome</TableCell>
              <TableCell>Submitted</TableCell>
              <TableCell>Finished</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {commands.map((command) => (
              <TableRow key={command.commandId} hover onClick={() => setShown(command)} sx={{ cursor: "pointer" }}>
                <TableCell>{command.action}</TableCell>
                {!hideCharger && (
                  <TableCell>
                    <Link component={RouterLink} to={chargerPath(command.chargerId)} onClick={(event) => event.stopPropagation()}>
                      {command.chargerId}
                    </Link>
                  </TableCell>
                )}
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
      {shown !== null && (
        <Dialog open onClose={() => setShown(null)} fullWidth maxWidth="md">
          <DialogTitle>
            {shown.action} · {shown.chargerId} · {formatDateTime(shown.createdAt)}
          </DialogTitle>
          <DialogContent dividers>
            <CommandProgress commandId={shown.commandId} />
          </DialogContent>
        </Dialog>
      )}
    </>
  );
}
