import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack } from "@mui/material";
import { type ReactNode, type SyntheticEvent, useId } from "react";
import { describeError } from "../api/errors";
import type { Submit } from "../hooks/useSubmit";

interface Props {
  title: string;
  /** The submit button's label ("Save", "Invite"). */
  submitLabel: string;
  submit: Submit;
  /** Called on submit (Enter or the button); the form checks its fields, then calls `submit.run`. */
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}

/** A form in a dialog: its fields, the API's refusal if any, Cancel and the submit button. */
export function FormDialog({ title, submitLabel, submit, onSubmit, onClose, children }: Props) {
  const titleId = useId();
  const send = (event: SyntheticEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby={titleId}>
      <form onSubmit={send} noValidate>
        <DialogTitle id={titleId}>{title}</DialogTitle>
        <DialogContent dividers>
          <Stack spacing={2}>
            {submit.error !== undefined && <Alert severity="error">{describeError(submit.error)}</Alert>}
            {children}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={submit.pending}>
            {submit.pending ? "Saving…" : submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
