import AddIcon from "@mui/icons-material/Add";
import EditIcon from "@mui/icons-material/EditOutlined";
import {
  Alert,
  Button,
  Chip,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
} from "@mui/material";
import { useState } from "react";
import { withQuery } from "../../api/client";
import type { Page, Tariff } from "../../api/types";
import { useMe } from "../../auth/MeContext";
import { FirstPageNotice } from "../../components/FirstPageNotice";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { RowAction } from "../../components/RowAction";
import { EmptyState } from "../../components/states";
import { formatPercent, formatPrice } from "../../format";
import { usePolled } from "../../hooks/usePolled";
import { TariffDialog } from "./TariffDialog";
import { compareDecimals } from "./tariffForm";

const PAGE_SIZE = 500;
/** The tariff that prices sessions no other tariff applies to. */
const DEFAULT_TARIFF = "default";

type Editing = { tariff: Tariff | null; newId?: string } | null;

/** What charging costs; admins create and edit tariffs. */
export function TariffsPage() {
  const { canAdminister } = useMe();
  const tariffs = usePolled<Page<Tariff>>(withQuery("/tariffs", { limit: PAGE_SIZE }));
  const [editing, setEditing] = useState<Editing>(null);
  return (
    <>
      <PageHeader
        title="Tariffs"
        subtitle="What charging costs: by the id token's tariff, its group's, the charger's, else the default"
        actions={
          canAdminister && (
            <Button variant="contained" startIcon={<AddIcon />} onClick={() => setEditing({ tariff: null })}>
              New tariff
            </Button>
          )
        }
      />
      <PolledContent
        polled={tariffs}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState
            title="No tariffs yet"
            hint="Without a tariff sessions are not invoiced. A tariff named default prices every session no other tariff applies to."
            action={
              canAdminister && (
                <Button variant="outlined" onClick={() => setEditing({ tariff: null, newId: DEFAULT_TARIFF })}>
                  Create the default tariff
                </Button>
              )
            }
          />
        }
      >
        {(page) => (
          <>
            {!page.items.some((tariff) => tariff.tariffId === DEFAULT_TARIFF) && (
              <Alert severity="info" sx={{ mb: 2 }}>
                No tariff is named default: sessions whose id token and charger have no tariff are not invoiced.
              </Alert>
            )}
            <FirstPageNotice nextToken={page.nextToken} count={PAGE_SIZE} what="tariffs" />
            <TariffTable tariffs={page.items} onEdit={canAdminister ? (tariff) => setEditing({ tariff }) : undefined} />
          </>
        )}
      </PolledContent>
      {editing !== null && (
        <TariffDialog
          tariff={editing.tariff}
          newId={editing.newId}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            tariffs.reload();
          }}
        />
      )}
    </>
  );
}

function TariffTable({ tariffs, onEdit }: { tariffs: Tariff[]; onEdit?: (tariff: Tariff) => void }) {
  const sorted = [...tariffs].sort((a, b) =>
    a.tariffId === DEFAULT_TARIFF ? -1 : b.tariffId === DEFAULT_TARIFF ? 1 : a.tariffId.localeCompare(b.tariffId),
  );
  return (
    <TableContainer component={Paper}>
      <Table size="small" aria-label="Tariffs">
        <TableHead>
          <TableRow>
            <TableCell>Tariff</TableCell>
            <TableCell align="right">Per kWh</TableCell>
            <TableCell align="right">Per minute</TableCell>
            <TableCell align="right">Session fee</TableCell>
            <TableCell>Idle fee</TableCell>
            <TableCell>Net price bounds</TableCell>
            <TableCell align="right">Tax</TableCell>
            <TableCell>Display text</TableCell>
            {onEdit && <TableCell align="right">Actions</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map((tariff) => {
            const price = (amount: string | null) => formatPrice(amount, tariff.currency);
            return (
              <TableRow key={tariff.tariffId} hover>
                <TableCell>
                  {tariff.tariffId}
                  {tariff.tariffId === DEFAULT_TARIFF && <Chip size="small" label="fallback" sx={{ ml: 1 }} />}
                </TableCell>
                <TableCell align="right">{price(tariff.pricePerKwh)}</TableCell>
                <TableCell align="right">{price(tariff.pricePerMinute)}</TableCell>
                <TableCell align="right">{price(tariff.sessionFee)}</TableCell>
                <TableCell>{idleFee(tariff)}</TableCell>
                <TableCell>{bounds(tariff)}</TableCell>
                <TableCell align="right">{formatPercent(tariff.taxRate ?? "0") ?? tariff.taxRate}</TableCell>
                <TableCell sx={{ maxWidth: 260, overflowWrap: "anywhere" }}>{tariff.displayText ?? "—"}</TableCell>
                {onEdit && (
                  <TableCell align="right">
                    <RowAction title="Edit" name={`Edit ${tariff.tariffId}`} icon={<EditIcon fontSize="small" />} onClick={() => onEdit(tariff)} />
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

function isZero(amount: string | null): boolean {
  return amount === null || compareDecimals(amount, "0") === 0;
}

/** "€0.10/min after 15 min", or "—" when idle time costs nothing. */
function idleFee(tariff: Tariff): string {
  if (isZero(tariff.idleFeePerMinute)) return "—";
  const fee = `${formatPrice(tariff.idleFeePerMinute, tariff.currency)}/min`;
  return isZero(tariff.idleGraceMinutes) ? fee : `${fee} after ${tariff.idleGraceMinutes ?? ""} min`;
}

/** "€1.00 to €50.00", "at least €1.00", "at most €50.00", or "—". */
function bounds(tariff: Tariff): string {
  const [min, max] = [tariff.minPrice, tariff.maxPrice].map((amount) => (amount === null ? null : formatPrice(amount, tariff.currency)));
  if (min && max) return `${min} to ${max}`;
  if (min) return `at least ${min}`;
  if (max) return `at most ${max}`;
  return "—";
}
