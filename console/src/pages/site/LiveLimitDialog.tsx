import { InputAdornment, TextField } from "@mui/material";
import { useState } from "react";
import { segment } from "../../api/client";
import type { Site } from "../../api/types";
import { useApi } from "../../api/useApi";
import { FormDialog } from "../../components/FormDialog";
import { useSubmit } from "../../hooks/useSubmit";
import { liveLimitBody, type LiveLimitFields, problems } from "./liveLimitForm";

/** Set the site's live limit (it replaces one set before): amps per phase, for a number of minutes from now. */
export function LiveLimitDialog({ site, onClose, onSaved }: { site: Site; onClose: () => void; onSaved: () => void }) {
  const client = useApi();
  const submit = useSubmit();
  const [fields, setFields] = useState<LiveLimitFields>({ limitAmps: String(site.limitInForce.amps), minutes: "60" });
  const [checked, setChecked] = useState(false);
  const shown = checked ? problems(fields, site) : {};

  const save = async () => {
    setChecked(true);
    if (Object.keys(problems(fields, site)).length > 0) return;
    const path = `/sites/${segment(site.siteId)}/limit`;
    if (await submit.run(() => client.send("PUT", path, liveLimitBody(fields, new Date())))) onSaved();
  };

  return (
    <FormDialog title={`Live limit of ${site.name}`} submitLabel="Set limit" submit={submit} onSubmit={() => void save()} onClose={onClose}>
      <TextField
        label="Limit"
        required
        autoFocus
        value={fields.limitAmps}
        onChange={(event) => setFields({ ...fields, limitAmps: event.target.value })}
        error={shown.limitAmps !== undefined}
        helperText={shown.limitAmps ?? `Per phase, from ${site.minChargingCurrentAmps} to ${site.gridLimitAmps} A; it overrides the configured limit and the schedule`}
        slotProps={{ input: { endAdornment: <InputAdornment position="end">A</InputAdornment> }, htmlInput: { inputMode: "decimal" } }}
      />
      <TextField
        label="For"
        required
        value={fields.minutes}
        onChange={(event) => setFields({ ...fields, minutes: event.target.value })}
        error={shown.minutes !== undefined}
        helperText={shown.minutes ?? "Then the configured limit and the schedule apply again"}
        slotProps={{ input: { endAdornment: <InputAdornment position="end">min</InputAdornment> }, htmlInput: { inputMode: "numeric" } }}
      />
    </FormDialog>
  );
}
