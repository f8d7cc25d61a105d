import { Alert, Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from "@mui/material";
import { type ReactNode, useId } from "react";
import { describeError } from "../api/errors";
import { useSubmit } from "../hooks/useSubmit";

interface Props {
  title: string;
  children: ReactNode;
  /** The button that does it ("Delete"). */
  confirmLabel: string;
  /** The request; the dialog shows its refusal, or calls `onDone` once it succeeded. */
  onConfirm: () => Promise<unknown>;
  onDone: () => void;
  onClose: () => void;
}

/** "Delete X?": what will happen, Cancel, and the button that does it. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onDone, onClose }: Props) {
  const titleId = useId();
  const submit = useSubmit();
  const confirm = async () => {
    if (await submit.run(onConfirm)) onDone();
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId}>
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        {submit.error !== undefined && (
          <Alert severity="error" sx={{ mb: 2 }}>
            {describeError(submit.error)}
          </Alert>
        )}
        <DialogContentText component="div">{children}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button color="error" variant="contained" disabled={submit.pending} onClick={() => void confirm()}>
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
