import { Autocomplete, TextField } from "@mui/material";
import { useState } from "react";
import { withQuery } from "../../api/client";
import type { Charger, Page } from "../../api/types";
import { usePolled } from "../../hooks/usePolled";
import { CommandForm } from "../CommandForm";
import { connectorTargets, isOcpp16, targetBody } from "../targets";
import { TargetSelect } from "../TargetSelect";
import type { SendCommand } from "../useSendCommand";

interface IdTokenItem {
  idToken: string;
}

/** Remote start: 1.6 RemoteStartTransaction on a connector, 2.0.1 RequestStartTransaction on an EVSE. */
export function StartForm({ charger, command }: { charger: Charger; command: SendCommand }) {
  const tokens = usePolled<Page<IdTokenItem>>(withQuery("/id-tokens", { limit: 500 }), { live: false });
  const targets = connectorTargets(charger, { evses: true, connectors: false });
  const [idToken, setIdToken] = useState("");
  const [target, setTarget] = useState("");
  return (
    <CommandForm
      sending={command.sending}
      label="Start"
      onSubmit={() => void command.send("start", { idToken: idToken.trim(), ...targetBody(targets, target) })}
    >
      <Autocomplete
        freeSolo
        options={tokens.data?.items.map((item) => item.idToken) ?? []}
        inputValue={idToken}
        onInputChange={(_, value) => setIdToken(value)}
        renderInput={(params) => (
          <TextField {...params} label="Id token" required helperText="The token the session is authorized for" />
        )}
      />
      <TargetSelect
        label={isOcpp16(charger) ? "Connector" : "EVSE"}
        targets={targets}
        value={target}
        onChange={setTarget}
        noneLabel="Any (the charger chooses)"
      />
    </CommandForm>
  );
}
