import DownloadIcon from "@mui/icons-material/Download";
import { Alert, Button, Snackbar, Tooltip } from "@mui/material";
import { withQuery } from "../../api/client";
import { describeError } from "../../api/errors";
import { useApi } from "../../api/useApi";
import { useSubmit } from "../../hooks/useSubmit";
import { issuedBetween, type InvoiceFilterValues } from "./useInvoiceFilters";

/** GET /api/invoices/export.csv for the period, with the bearer token (a plain link cannot send it), saved as a file. */
export function ExportButton({ filters }: { filters: InvoiceFilterValues }) {
  const client = useApi();
  const submit = useSubmit();
  const exportCsv = () =>
    submit.run(async () => {
      const blob = await client.download(withQuery("/invoices/export.csv", issuedBetween(filters)));
      save(blob, `invoices${filters.from ? `-from-${filters.from}` : ""}${filters.to ? `-to-${filters.to}` : ""}.csv`);
    });
  return (
    <>
      <Tooltip title="Every invoice issued in the period (From, To), oldest first; the other filters do not apply">
        <span>
          <Button variant="outlined" startIcon={<DownloadIcon />} disabled={submit.pending} onClick={() => void exportCsv()}>
            {submit.pending ? "Exporting…" : "Export CSV"}
          </Button>
        </span>
      </Tooltip>
      <Snackbar open={submit.error !== undefined} autoHideDuration={8000} onClose={submit.clearError}>
        <Alert severity="error" onClose={submit.clearError}>
          Export failed: {describeError(submit.error)}
        </Alert>
      </Snackbar>
    </>
  );
}

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
