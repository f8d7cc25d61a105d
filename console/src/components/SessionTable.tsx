import { Button, Link, Paper, Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from "@mui/material";
import { Link as RouterLink } from "react-router";
import type { Transaction } from "../api/types";
import { connectorName, formatDateTime, formatEnergy } from "../format";
import { chargerPath, sessionPath } from "../paths";
import { StatusChip } from "./StatusChip";

interface Props {
  sessions: Transaction[];
  /** Leave out the charger column (on a charger's page). */
  hideCharger?: boolean;
  /** When given, active sessions get a Stop button. */
  onStop?: (session: Transaction) => void;
}

export function SessionTable({ sessions, hideCharger = false, onStop }: Props) {
  return (
    <TableContainer component={Paper}>
      <Table size="small" aria-label="Sessions">
        <TableHead>
          <TableRow>
            <TableCell>Session</TableCell>
            <TableCell>Status</TableCell>
            {!hideCharger && <TableCell>Charger</TableCell>}
            <TableCell>Connector</TableCell>
            <TableCell>Id token</TableCell>
            <TableCell>Started</TableCell>
            <TableCell>Stopped</TableCell>
            <TableCell align="right">Energy</TableCell>
            {onStop && <TableCell />}
          </TableRow>
        </TableHead>
        <TableBody>
          {sessions.map((session) => (
            <TableRow key={`${session.chargerId}/${session.transactionId}`} hover>
              <TableCell>
                <Link component={RouterLink} to={sessionPath(session)}>
                  {session.transactionId}
                </Link>
              </TableCell>
              <TableCell>
                <StatusChip status={session.status} />
              </TableCell>
              {!hideCharger && (
                <TableCell>
                  <Link component={RouterLink} to={chargerPath(session.chargerId)}>
                    {session.chargerId}
                  </Link>
                </TableCell>
              )}
              <TableCell>{connectorName(session)}</TableCell>
              <TableCell>{session.idToken ?? "—"}</TableCell>
              <TableCell>{formatDateTime(session.startedAt)}</TableCell>
              <TableCell>{formatDateTime(session.stoppedAt)}</TableCell>
              <TableCell align="right">{formatEnergy(session.energyWh)}</TableCell>
              {onStop && (
                <TableCell align="right">
                  {session.status === "Active" && (
                    <Button size="small" color="warning" onClick={() => onStop(session)}>
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
  );
}
