import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle } from "@mui/material";
import type { ReactNode } from "react";
import { describeError } from "../api/errors";
import { CommandProgress } from "./CommandProgress";
import { type SendCommand, useSendCommand } from "./useSendCommand";

interface Props {
  title: string;
  chargerId: string;
  onClose: () => void;
  /** The form; it calls `command.send(...)` on submit. */
  children: (command: SendCommand) => ReactNode;
}

/** A command's form, then (once the API took it) its progress until it is finished. */
export function CommandDialog({ title, chargerId, onClose, children }: Props) {
  const command = useSendCommand(chargerId);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" aria-labelledby="command-dialog-title">
      <DialogTitle id="command-dialog-title">
        {title} · {chargerId}
      </DialogTitle>
      <DialogContent dividers>
        {command.commandId === null ? (
          <>
            {command.error !== undefined && (
              <Alert severity="error" sx={{ mb: 2 }}>
                {describeError(command.error)}
              </Alert>
            )}
            {children(command)}
          </>
        ) : (
          <CommandProgress commandId={command.commandId} />
        )}
      </DialogContent>
      <DialogActions>
        {command.commandId !== null && <Button onClick={command.reset}>Send another</Button>}
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
