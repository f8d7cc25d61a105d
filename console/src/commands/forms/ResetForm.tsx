import { FormControlLabel, FormLabel, Radio, RadioGroup } from "@mui/material";
import { useState } from "react";
import { CommandForm } from "../CommandForm";
import type { SendCommand } from "../useSendCommand";

/** Reset: soft waits for running sessions to end (2.0.1 OnIdle), hard stops them (Immediate). */
export function ResetForm({ command }: { command: SendCommand }) {
  const [type, setType] = useState<"soft" | "hard">("soft");
  return (
    <CommandForm sending={command.sending} label="Reset" onSubmit={() => void command.send("reset", { type })}>
      <FormLabel id="reset-type">Type</FormLabel>
      <RadioGroup aria-labelledby="reset-type" value={type} onChange={(event) => setType(event.target.value as "soft" | "hard")}>
        <FormControlLabel value="soft" control={<Radio />} label="Soft: once running sessions end" />
        <FormControlLabel value="hard" control={<Radio />} label="Hard: now, stopping running sessions" />
      </RadioGroup>
    </CommandForm>
  );
}
