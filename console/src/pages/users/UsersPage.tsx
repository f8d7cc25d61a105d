import DeleteIcon from "@mui/icons-material/DeleteOutlined";
import ManageAccountsIcon from "@mui/icons-material/ManageAccountsOutlined";
import PersonAddIcon from "@mui/icons-material/PersonAdd";
import { Button, Chip, Paper, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Tooltip } from "@mui/material";
import { useState } from "react";
import { segment, withQuery } from "../../api/client";
import type { Page, User } from "../../api/types";
import { useApi } from "../../api/useApi";
import { useMe } from "../../auth/MeContext";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { FirstPageNotice } from "../../components/FirstPageNotice";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { RowAction } from "../../components/RowAction";
import { EmptyState } from "../../components/states";
import { usePolled } from "../../hooks/usePolled";
import { ChangeRoleDialog, InviteDialog } from "./UserDialogs";
import { describeStatus, ROLE_DESCRIPTIONS } from "./roles";

/** The user pool's largest page. */
const PAGE_SIZE = 60;
const TITLE = "Users";
const SUBTITLE = "The people who may sign in to the console, and what their role allows";

type Open = { kind: "invite" } | { kind: "role"; user: User } | { kind: "remove"; user: User } | null;

/** Admins: the people who may sign in and their roles; invite, change a role, remove. */
export function UsersPage() {
  const { canAdminister } = useMe();
  if (!canAdminister) {
    return (
      <>
        <PageHeader title={TITLE} subtitle={SUBTITLE} />
        <EmptyState title="Only administrators manage users" hint="Your role lets you use the other pages." />
      </>
    );
  }
  return <UserAdministration />;
}

function UserAdministration() {
  const client = useApi();
  const me = useMe();
  // Users change seldom, and on AWS each read asks Cognito: read once, again after each change here.
  const users = usePolled<Page<User>>(withQuery("/users", { limit: PAGE_SIZE }), { live: false });
  const [open, setOpen] = useState<Open>(null);
  const done = () => {
    setOpen(null);
    users.reload();
  };
  return (
    <>
      <PageHeader
        title={TITLE}
        subtitle={SUBTITLE}
        actions={
          <Button variant="contained" startIcon={<PersonAddIcon />} onClick={() => setOpen({ kind: "invite" })}>
            Invite user
          </Button>
        }
      />
      <PolledContent
        polled={users}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState
            title="No users yet"
            hint="Invite the people who run the network: each signs in with their e-mail address and gets one role."
          />
        }
      >
        {(page) => (
          <>
            <FirstPageNotice nextToken={page.nextToken} count={PAGE_SIZE} what="users" />
            <UserTable
              users={page.items}
              self={me.username}
              onChangeRole={(user) => setOpen({ kind: "role", user })}
              onRemove={(user) => setOpen({ kind: "remove", user })}
            />
          </>
        )}
      </PolledContent>
      {open?.kind === "invite" && <InviteDialog onClose={() => setOpen(null)} onSaved={done} />}
      {open?.kind === "role" && <ChangeRoleDialog user={open.user} onClose={() => setOpen(null)} onSaved={done} />}
      {open?.kind === "remove" && (
        <ConfirmDialog
          title={`Remove ${nameOf(open.user)}?`}
          confirmLabel="Remove"
          onConfirm={() => client.send("DELETE", `/users/${segment(open.user.username)}`)}
          onDone={done}
          onClose={() => setOpen(null)}
        >
          They can no longer sign in. A sign-in they have now lasts until its token expires (an hour at most).
        </ConfirmDialog>
      )}
    </>
  );
}

function nameOf(user: User): string {
  return user.email ?? user.username;
}

interface TableProps {
  users: User[];
  /** The signed-in user's name: they cannot demote or remove themselves here. */
  self: string;
  onChangeRole: (user: User) => void;
  onRemove: (user: User) => void;
}

function UserTable({ users, self, onChangeRole, onRemove }: TableProps) {
  const sorted = [...users].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  return (
    <TableContainer component={Paper}>
      <Table size="small" aria-label="Users">
        <TableHead>
          <TableRow>
            <TableCell>E-mail</TableCell>
            <TableCell>Role</TableCell>
            <TableCell>Status</TableCell>
            <TableCell align="right">Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map((user) => {
            const name = nameOf(user);
            const isSelf = user.username === self || user.email === self;
            return (
              <TableRow key={user.username} hover>
                <TableCell>{name}</TableCell>
                <TableCell>
                  {user.role === null ? (
                    <Chip size="small" color="warning" variant="outlined" label="No role" />
                  ) : (
                    <Tooltip title={ROLE_DESCRIPTIONS[user.role].may}>
                      <span>{ROLE_DESCRIPTIONS[user.role].label}</span>
                    </Tooltip>
                  )}
                </TableCell>
                <TableCell>{describeStatus(user.status, user.enabled)}</TableCell>
                <TableCell align="right" sx={{ whiteSpace: "nowrap" }}>
                  <RowAction
                    title="Change role"
                    name={`Change role of ${name}`}
                    icon={<ManageAccountsIcon fontSize="small" />}
                    onClick={() => onChangeRole(user)}
                    disabledBecause={isSelf ? "Not your own: ask another administrator" : undefined}
                  />
                  <RowAction
                    title="Remove"
                    name={`Remove ${name}`}
                    icon={<DeleteIcon fontSize="small" />}
                    onClick={() => onRemove(user)}
                    disabledBecause={isSelf ? "Not yourself: ask another administrator" : undefined}
                  />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
