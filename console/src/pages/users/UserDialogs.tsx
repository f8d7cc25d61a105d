import { TextField } from "@mui/material";
import { useState } from "react";
import { segment } from "../../api/client";
import type { Role, User } from "../../api/types";
import { useApi } from "../../api/useApi";
import { FormDialog } from "../../components/FormDialog";
import { useSubmit } from "../../hooks/useSubmit";
import { RoleChoice } from "./RoleChoice";
import { emailProblem } from "./roles";

interface DialogProps {
  onClose: () => void;
  onSaved: () => void;
}

/** Invite someone: Cognito e-mails them a temporary password; the address is their username. */
export function InviteDialog({ onClose, onSaved }: DialogProps) {
  const client = useApi();
  const submit = useSubmit();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewers");
  const [checked, setChecked] = useState(false);
  const problem = checked ? emailProblem(email.trim()) : null;
  const invite = async () => {
    setChecked(true);
    const address = email.trim();
    if (emailProblem(address) !== null) return;
    if (await submit.run(() => client.send("PUT", `/users/${segment(address)}`, { role }))) onSaved();
  };
  return (
    <FormDialog title="Invite a user" submitLabel="Invite" submit={submit} onSubmit={() => void invite()} onClose={onClose}>
      <TextField
        label="E-mail address"
        type="email"
        required
        autoFocus
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={problem !== null}
        helperText={problem ?? "They sign in with it; the invitation with a temporary password goes there"}
      />
      <RoleChoice value={role} onChange={setRole} />
    </FormDialog>
  );
}

/** Move a user to exactly one role group. */
export function ChangeRoleDialog({ user, onClose, onSaved }: DialogProps & { user: User }) {
  const client = useApi();
  const submit = useSubmit();
  const [role, setRole] = useState<Role>(user.role ?? "viewers");
  const save = async () => {
    if (await submit.run(() => client.send("PUT", `/users/${segment(user.username)}`, { role }))) onSaved();
  };
  return (
    <FormDialog
      title={`Change the role of ${user.email ?? user.username}`}
      submitLabel="Save"
      submit={submit}
      onSubmit={() => void save()}
      onClose={onClose}
    >
      <RoleChoice value={role} onChange={setRole} />
    </FormDialog>
  );
}
