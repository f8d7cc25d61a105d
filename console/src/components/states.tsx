import ErrorOutlineIcon from "@mui/icons-material/ErrorOutlineOutlined";
import InboxOutlinedIcon from "@mui/icons-material/InboxOutlined";
import { Alert, Box, Button, CircularProgress, Stack, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { describeError } from "../api/errors";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <Stack spacing={2} sx={{ py: 6, alignItems: "center" }} role="status" aria-live="polite">
      <CircularProgress size={32} />
      <Typography color="text.secondary">{label}</Typography>
    </Stack>
  );
}

/** Nothing to show yet, said plainly, with what would make something appear. */
export function EmptyState({ title, hint, action }: { title: string; hint?: ReactNode; action?: ReactNode }) {
  return (
    <Stack spacing={1} sx={{ py: 6, alignItems: "center", textAlign: "center" }}>
      <InboxOutlinedIcon color="disabled" sx={{ fontSize: 48 }} />
      <Typography variant="h6">{title}</Typography>
      {hint !== undefined && (
        <Typography color="text.secondary" sx={{ maxWidth: 520 }}>
          {hint}
        </Typography>
      )}
      {action}
    </Stack>
  );
}

/** A request failed and there is nothing to show instead. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Stack spacing={1} sx={{ py: 6, alignItems: "center", textAlign: "center" }} role="alert">
      <ErrorOutlineIcon color="error" sx={{ fontSize: 48 }} />
      <Typography variant="h6">Could not load this</Typography>
      <Typography color="text.secondary" sx={{ maxWidth: 520 }}>
        {describeError(error)}
      </Typography>
      {onRetry && <Button onClick={onRetry}>Try again</Button>}
    </Stack>
  );
}

/** A refresh failed while older data stays on screen. */
export function StaleNotice({ error }: { error: unknown }) {
  return (
    <Box sx={{ mb: 2 }}>
      <Alert severity="warning">Not up to date: {describeError(error)}</Alert>
    </Box>
  );
}
