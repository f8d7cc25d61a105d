import { Autocomplete, Stack, TextField } from "@mui/material";
import Form from "@rjsf/mui";
import validator from "@rjsf/validator-ajv8";
import { useState } from "react";
import { segment } from "../../api/client";
import type { Charger, OcppAction } from "../../api/types";
import { PolledContent } from "../../components/PolledContent";
import { usePolled } from "../../hooks/usePolled";
import { schemaForForm } from "../formSchema";
import type { SendCommand } from "../useSendCommand";

/** Any action the CSMS can send to a charger of this version, through a form generated from its OCPP schema. */
export default function RawCommandForm({ charger, command, initialAction = null }: {
  charger: Charger;
  command: SendCommand;
  initialAction?: string | null;
}) {
  const version = charger.ocppVersion ?? "";
  const actions = usePolled<{ items: OcppAction[] }>(`/ocpp/${segment(version)}/actions`, { live: false });
  const [action, setAction] = useState<string | null>(initialAction);
  return (
    <Stack spacing={2}>
      <Autocomplete
        options={actions.data?.items.map((item) => item.action) ?? []}
        value={action}
        onChange={(_, value) => setAction(value)}
        loading={actions.loading}
        renderInput={(params) => <TextField {...params} label={`OCPP ${version} action`} required />}
      />
      {action !== null && <ActionForm key={action} version={version} action={action} command={command} />}
    </Stack>
  );
}

function ActionForm({ version, action, command }: { version: string; action: string; command: SendCommand }) {
  const schema = usePolled<Record<string, unknown>>(`/ocpp/${segment(version)}/actions/${segment(action)}/schema`, {
    live: false,
  });
  const [payload, setPayload] = useState<Record<string, unknown>>({});
  return (
    <PolledContent polled={schema}>
      {(data) => (
        <Form
          schema={schemaForForm(data)}
          validator={validator}
          formData={payload}
          onChange={(event) => setPayload((event.formData ?? {}) as Record<string, unknown>)}
          onSubmit={() => void command.send("commands", { action, payload })}
          disabled={command.sending}
          showErrorList="bottom"
          // The schema's own validation only: the browser's would demand the required fields of an
          // optional object left empty (2.0.1 TriggerMessage's evse.id).
          noHtml5Validate
          uiSchema={{ "ui:submitButtonOptions": { submitText: command.sending ? "Sending…" : `Send ${action}` } }}
        />
      )}
    </PolledContent>
  );
}
