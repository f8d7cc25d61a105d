import { Alert } from "@mui/material";

/** The list shows the first page only (`nextToken` is set): say so, and how to see the rest. */
export function FirstPageNotice({ nextToken, count, what, hint }: { nextToken: string | null; count: number; what: string; hint?: string }) {
  if (nextToken === null) return null;
  return (
    <Alert severity="info" sx={{ mb: 2 }}>
      Showing the first {count} {what}.{hint === undefined ? "" : ` ${hint}`}
    </Alert>
  );
}
