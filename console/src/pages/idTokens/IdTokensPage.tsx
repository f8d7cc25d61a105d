import AddIcon from "@mui/icons-material/Add";
import DeleteIcon from "@mui/icons-material/DeleteOutlined";
import EditIcon from "@mui/icons-material/EditOutlined";
import SearchIcon from "@mui/icons-material/Search";
import {
  Button,
  InputAdornment,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
} from "@mui/material";
import { useState } from "react";
import { segment, withQuery } from "../../api/client";
import type { IdToken, Page } from "../../api/types";
import { useApi } from "../../api/useApi";
import { useMe } from "../../auth/MeContext";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { FirstPageNotice } from "../../components/FirstPageNotice";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { RowAction } from "../../components/RowAction";
import { StatusChip } from "../../components/StatusChip";
import { EmptyState } from "../../components/states";
import { formatDateTime } from "../../format";
import { usePolled } from "../../hooks/usePolled";
import { IdTokenDialog } from "./IdTokenDialog";

const PAGE_SIZE = 500;

type Editing = { token: IdToken | null } | null;

/** The id tokens that may charge; admins register, edit and delete them. */
export function IdTokensPage() {
  const { canAdminister } = useMe();
  const client = useApi();
  const tokens = usePolled<Page<IdToken>>(withQuery("/id-tokens", { limit: PAGE_SIZE }));
  const [search, setSearch] = useState("");
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<IdToken | null>(null);
  return (
    <>
      <PageHeader
        title="Id tokens"
        subtitle="RFID cards and app ids that may charge, live"
        actions={
          canAdminister && (
            <Button variant="contained" startIcon={<AddIcon />} onClick={() => setEditing({ token: null })}>
              Register id token
            </Button>
          )
        }
      />
      <TextField
        label="Search"
        placeholder="Id token, group or tariff"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        fullWidth
        sx={{ mb: 2 }}
        slotProps={{ input: { startAdornment: <InputAdornment position="start"><SearchIcon /></InputAdornment> } }}
      />
      <PolledContent
        polled={tokens}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState
            title="No id tokens yet"
            hint={
              canAdminister
                ? "Register the cards and app ids that may charge (csms simulate registers its own)."
                : "An administrator registers the cards and app ids that may charge."
            }
          />
        }
      >
        {(page) => (
          <>
            <FirstPageNotice nextToken={page.nextToken} count={PAGE_SIZE} what="id tokens" hint="Search looks through these only." />
            <IdTokenTable
              tokens={matching(page.items, search)}
              onEdit={canAdminister ? (token) => setEditing({ token }) : undefined}
              onDelete={canAdminister ? setDeleting : undefined}
            />
          </>
        )}
      </PolledContent>
      {editing !== null && (
        <IdTokenDialog
          token={editing.token}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            tokens.reload();
          }}
        />
      )}
      {deleting !== null && (
        <ConfirmDialog
          title={`Delete id token ${deleting.idToken}?`}
          confirmLabel="Delete"
          onConfirm={() => client.send("DELETE", `/id-tokens/${segment(deleting.idToken)}`)}
          onDone={() => {
            setDeleting(null);
            tokens.reload();
          }}
          onClose={() => setDeleting(null)}
        >
          From now on chargers that ask are told it is invalid; local lists drop it when next sent.
        </ConfirmDialog>
      )}
    </>
  );
}

function matching(tokens: IdToken[], search: string): IdToken[] {
  const needle = search.trim().toLowerCase();
  const found = needle
    ? tokens.filter((token) => [token.idToken, token.parentId, token.tariffId].some((field) => field?.toLowerCase().includes(needle)))
    : tokens;
  return [...found].sort((a, b) => a.idToken.localeCompare(b.idToken));
}

interface TableProps {
  tokens: IdToken[];
  onEdit?: (token: IdToken) => void;
  onDelete?: (token: IdToken) => void;
}

function IdTokenTable({ tokens, onEdit, onDelete }: TableProps) {
  if (tokens.length === 0) return <EmptyState title="No id token matches" hint="Change or clear the search." />;
  return (
    <TableContainer component={Paper}>
      <Table size="small" aria-label="Id tokens">
        <TableHead>
          <TableRow>
            <TableCell>Id token</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Group</TableCell>
            <TableCell>Tariff</TableCell>
            <TableCell>Expiry</TableCell>
            {(onEdit ?? onDelete) && <TableCell align="right">Actions</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {tokens.map((token) => (
            <TableRow key={token.idToken} hover>
              <TableCell sx={{ fontFamily: "monospace" }}>{token.idToken}</TableCell>
              <TableCell>
                <StatusChip status={token.status} />
              </TableCell>
              <TableCell>{token.type ?? "—"}</TableCell>
              <TableCell>{token.parentId ?? "—"}</TableCell>
              <TableCell>{token.tariffId ?? "—"}</TableCell>
              <TableCell>{token.expiry === null ? "never" : formatDateTime(token.expiry)}</TableCell>
              {(onEdit ?? onDelete) && (
                <TableCell align="right" sx={{ whiteSpace: "nowrap" }}>
                  {onEdit && (
                    <RowAction title="Edit" name={`Edit ${token.idToken}`} icon={<EditIcon fontSize="small" />} onClick={() => onEdit(token)} />
                  )}
                  {onDelete && (
                    <RowAction
                      title="Delete"
                      name={`Delete ${token.idToken}`}
                      icon={<DeleteIcon fontSize="small" />}
                      onClick={() => onDelete(token)}
                    />
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
