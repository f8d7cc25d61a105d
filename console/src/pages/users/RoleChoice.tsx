import { FormControl, FormControlLabel, FormLabel, Radio, RadioGroup } from "@mui/material";
import { useId } from "react";
import { ROLES, type Role } from "../../api/types";
import { ROLE_DESCRIPTIONS } from "./roles";

/** The one role a user has, each with what it allows. */
export function RoleChoice({ value, onChange }: { value: Role; onChange: (role: Role) => void }) {
  const labelId = useId();
  return (
    <FormControl>
      <FormLabel id={labelId}>Role</FormLabel>
      <RadioGroup aria-labelledby={labelId} value={value} onChange={(event) => onChange(event.target.value as Role)}>
        {ROLES.map((role) => (
          <FormControlLabel
            key={role}
            value={role}
            control={<Radio />}
            label={`${ROLE_DESCRIPTIONS[role].label}: ${ROLE_DESCRIPTIONS[role].may.toLowerCase()}`}
          />
        ))}
      </RadioGroup>
    </FormControl>
  );
}
