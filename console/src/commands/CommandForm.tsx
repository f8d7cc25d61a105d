import { Box, Button, Stack } from "@mui/material";
import type { ReactNode, SyntheticEvent } from "react";

/** The fields of a shortcut command and its Send button. */
export function CommandForm({ onSubmit, sending, children, label = "Send" }: {
  onSubmit: () => void;
  sending: boolean;
  children: ReactNode;
  label?: string;
}) {
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Box component="form" onSubmit={submit} noValidate={false}>
      <Stack spacing={2}>
        {children}
        <Box>
          <Button type="submit" variant="contained" disabled={sending}>
            {sending ? "Sending…" : label}
          </Button>
        </Box>
      </Stack>
    </Box>
  );
}
