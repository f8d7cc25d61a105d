import { Grid, InputAdornment, TextField } from "@mui/material";
import { useState } from "react";
import { segment } from "../../api/client";
import type { Tariff } from "../../api/types";
import { useApi } from "../../api/useApi";
import { FormDialog } from "../../components/FormDialog";
import { useSubmit } from "../../hooks/useSubmit";
import { formatPercent } from "../../format";
import {
  fieldsOf,
  MAX_DISPLAY_TEXT_LENGTH,
  MAX_TARIFF_ID_LENGTH,
  problems,
  tariffBody,
  type TariffFields,
} from "./tariffForm";

interface Props {
  /** The tariff to edit; null: create one (named `newId` to start with). */
  tariff: Tariff | null;
  newId?: string;
  onClose: () => void;
  onSaved: () => void;
}

interface PriceInput {
  name: keyof TariffFields;
  label: string;
  unit: "currency" | "minutes";
  help: string;
}

const PRICES: PriceInput[] = [
  { name: "pricePerKwh", label: "Per kWh", unit: "currency", help: "Per kWh delivered" },
  { name: "pricePerMinute", label: "Per minute", unit: "currency", help: "Per minute of charging" },
  { name: "sessionFee", label: "Session fee", unit: "currency", help: "Once per session" },
  { name: "idleFeePerMinute", label: "Idle fee per minute", unit: "currency", help: "Plugged in, no longer charging" },
  { name: "idleGraceMinutes", label: "Idle grace", unit: "minutes", help: "Idle minutes not charged" },
  { name: "minPrice", label: "Minimum price", unit: "currency", help: "Of the net price; empty: none" },
  { name: "maxPrice", label: "Maximum price", unit: "currency", help: "Of the net price; empty: none" },
];

/** Create a tariff or replace one (sessions already started keep the copy they started with). */
export function TariffDialog({ tariff, newId = "", onClose, onSaved }: Props) {
  const client = useApi();
  const submit = useSubmit();
  const [fields, setFields] = useState<TariffFields>(() => fieldsOf(tariff, newId));
  const [checked, setChecked] = useState(false);
  const shown = checked ? problems(fields) : {};
  const set = (change: Partial<TariffFields>) => setFields((current) => ({ ...current, ...change }));
  const currency = fields.currency.trim() || "…";

  const save = async () => {
    setChecked(true);
    if (Object.keys(problems(fields)).length > 0) return;
    const path = `/tariffs/${segment(fields.tariffId.trim())}`;
    if (await submit.run(() => client.send("PUT", path, tariffBody(fields)))) onSaved();
  };

  const percent = formatPercent(fields.taxRate);
  return (
    <FormDialog
      title={tariff === null ? "New tariff" : `Edit tariff ${tariff.tariffId}`}
      submitLabel={tariff === null ? "Create" : "Save"}
      submit={submit}
      onSubmit={() => void save()}
      onClose={onClose}
    >
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, sm: 8 }}>
          <TextField
            label="Tariff id"
            required
            fullWidth
            autoFocus={tariff === null}
            disabled={tariff !== null}
            value={fields.tariffId}
            onChange={(event) => set({ tariffId: event.target.value })}
            error={shown.tariffId !== undefined}
            helperText={shown.tariffId ?? "\"default\" prices sessions no other tariff applies to"}
            slotProps={{ htmlInput: { maxLength: MAX_TARIFF_ID_LENGTH } }}
          />
        </Grid>
        <Grid size={{ xs: 12, sm: 4 }}>
          <TextField
            label="Currency"
            required
            fullWidth
            value={fields.currency}
            onChange={(event) => set({ currency: event.target.value.toUpperCase() })}
            error={shown.currency !== undefined}
            helperText={shown.currency ?? "ISO 4217"}
            slotProps={{ htmlInput: { maxLength: 3 } }}
          />
        </Grid>
        {PRICES.map(({ name, label, unit, help }) => (
          <Grid key={name} size={{ xs: 12, sm: 6 }}>
            <TextField
              label={label}
              fullWidth
              value={fields[name]}
              onChange={(event) => set({ [name]: event.target.value })}
              error={shown[name] !== undefined}
              helperText={shown[name] ?? help}
              slotProps={{
                htmlInput: { inputMode: "decimal" },
                input: { endAdornment: <InputAdornment position="end">{unit === "currency" ? currency : "min"}</InputAdornment> },
              }}
            />
          </Grid>
        ))}
        <Grid size={{ xs: 12, sm: 6 }}>
          <TextField
            label="Tax rate"
            fullWidth
            value={fields.taxRate}
            onChange={(event) => set({ taxRate: event.target.value })}
            error={shown.taxRate !== undefined}
            helperText={shown.taxRate ?? (percent !== null && fields.taxRate.trim() !== "" ? `A fraction: ${percent}` : "A fraction: 0.19 for 19 %")}
            slotProps={{ htmlInput: { inputMode: "decimal" } }}
          />
        </Grid>
        <Grid size={12}>
          <TextField
            label="Display text"
            fullWidth
            multiline
            minRows={2}
            value={fields.displayText}
            onChange={(event) => set({ displayText: event.target.value })}
            error={shown.displayText !== undefined}
            helperText={shown.displayText ?? `Shown on OCPP 2.0.1 chargers when a session starts (up to ${MAX_DISPLAY_TEXT_LENGTH} characters)`}
          />
        </Grid>
      </Grid>
    </FormDialog>
  );
}
