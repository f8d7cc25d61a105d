import { MenuItem, TextField } from "@mui/material";
import { useState } from "react";
import { withQuery } from "../../api/client";
import type { Charger, Page, Transaction } from "../../api/types";
import { formatDateTime } from "../../format";
import { usePolled } from "../../hooks/usePolled";
import { CommandForm } from "../CommandForm";
import type { SendCommand } from "../useSendCommand";

/** Remote stop of one of the charger's active sessions (RemoteStopTransaction / RequestStopTransaction). */
export function StopForm({ charger, command, transactionId = "" }: {
  charger: Pick<Charger, "id">;
  command: SendCommand;
  transactionId?: string;
}) {
  const active = usePolled<Page<Transaction>>(withQuery("/transactions", { chargerId: charger.id, status: "Active" }));
  const [chosen, setChosen] = useState(transactionId);
  const sessions = active.data?.items ?? [];
  return (
    <CommandForm sending={command.sending} label="Stop" onSubmit={() => void command.send("stop", { transactionId: chosen })}>
      <TextField
        select
        required
        label="Session"
        value={sessions.some((session) => session.transactionId === chosen) ? chosen : ""}
        onChange={(event) => setChosen(event.target.value)}
        helperText={active.data !== undefined && sessions.length === 0 ? "No session is active on this charger." : undefined}
      >
        {sessions.map((session) => (
          <MenuItem key={session.transactionId} value={session.transactionId}>
            {session.transactionId} · {session.idToken ?? "no token"} · since {formatDateTime(session.startedAt)}
          </MenuItem>
        ))}
      </TextField>
    </CommandForm>
  );
}
