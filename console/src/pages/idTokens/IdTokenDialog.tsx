import { MenuItem, TextField } from "@mui/material";
import { useState } from "react";
import { segment } from "../../api/client";
import { ID_TOKEN_STATUSES, ID_TOKEN_TYPES, type IdToken } from "../../api/types";
import { useApi } from "../../api/useApi";
import { FormDialog } from "../../components/FormDialog";
import { TariffSelect } from "../../components/TariffSelect";
import { useSubmit } from "../../hooks/useSubmit";
import { fieldsOf, type IdTokenFields, MAX_ID_TOKEN_LENGTH, problems, registration } from "./idTokenForm";

interface Props {
  /** The token to edit; null: register a new one. */
  token: IdToken | null;
  onClose: () => void;
  onSaved: () => void;
}

/** Register an id token, or change one (PUT replaces it: every field is sent). */
export function IdTokenDialog({ token, onClose, onSaved }: Props) {
  const client = useApi();
  const submit = useSubmit();
  const [fields, setFields] = useState<IdTokenFields>(() => fieldsOf(token));
  const [checked, setChecked] = useState(false);
  const shown = checked ? problems(fields) : {};
  const set = (change: Partial<IdTokenFields>) => setFields((current) => ({ ...current, ...change }));

  const save = async () => {
    setChecked(true);
    if (Object.keys(problems(fields)).length > 0) return;
    const path = `/id-tokens/${segment(fields.idToken.trim())}`;
    if (await submit.run(() => client.send("PUT", path, registration(fields)))) onSaved();
  };

  return (
    <FormDialog
      title={token === null ? "Register an id token" : `Edit id token ${token.idToken}`}
      submitLabel={token === null ? "Register" : "Save"}
      submit={submit}
      onSubmit={() => void save()}
      onClose={onClose}
    >
      <TextField
        label="Id token"
        required
        autoFocus={token === null}
        disabled={token !== null}
        value={fields.idToken}
        onChange={(event) => set({ idToken: event.target.value })}
        error={shown.idToken !== undefined}
        helperText={shown.idToken ?? `The card's UID or the app's id, up to ${MAX_ID_TOKEN_LENGTH} characters (OCPP 1.6 chargers: 20)`}
        slotProps={{ htmlInput: { maxLength: MAX_ID_TOKEN_LENGTH } }}
      />
      <TextField select label="Status" value={fields.status} onChange={(event) => set({ status: event.target.value as IdToken["status"] })}>
        {ID_TOKEN_STATUSES.map((status) => (
          <MenuItem key={status} value={status}>
            {status}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Type"
        value={fields.type}
        onChange={(event) => set({ type: event.target.value })}
        helperText="OCPP 2.0.1 IdTokenType (a local list gives ISO14443 when none)"
        slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
      >
        <MenuItem value="">
          <em>None</em>
        </MenuItem>
        {ID_TOKEN_TYPES.map((type) => (
          <MenuItem key={type} value={type}>
            {type}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        label="Group (parent id token)"
        value={fields.parentId}
        onChange={(event) => set({ parentId: event.target.value })}
        error={shown.parentId !== undefined}
        helperText={shown.parentId ?? "Tokens of one group share the group's tariff and may stop each other's sessions"}
      />
      <TariffSelect
        value={fields.tariffId}
        onChange={(tariffId) => set({ tariffId })}
        noneLabel="the group's, the charger's or the default"
        helperText="Prices this token's sessions first"
      />
      <TextField
        label="Expiry"
        type="datetime-local"
        value={fields.expiry}
        onChange={(event) => set({ expiry: event.target.value })}
        error={shown.expiry !== undefined}
        helperText={shown.expiry ?? "Empty: never expires (your time zone)"}
        slotProps={{ inputLabel: { shrink: true } }}
      />
    </FormDialog>
  );
}
