import ContentCopyIcon from "@mui/icons-material/ContentCopy";
import { IconButton, InputAdornment, TextField, Tooltip } from "@mui/material";
import { useState } from "react";

/** A value to copy into the charger's settings: read-only, monospace, with a copy button where the browser allows it. */
export function CopyField({ label, value, helperText }: { label: string; value: string; helperText?: string }) {
  const [copied, setCopied] = useState(false);
  // The clipboard API exists in secure contexts only (https, localhost).
  const canCopy = typeof navigator.clipboard !== "undefined";
  const copy = async () => {
    await navigator.clipboard.writeText(value);
    setCopied(true);
  };
  return (
    <TextField
      label={label}
      value={value}
      helperText={helperText}
      fullWidth
      slotProps={{
        htmlInput: { readOnly: true, style: { fontFamily: "monospace" } },
        input: {
          endAdornment: canCopy && (
            <InputAdornment position="end">
              <Tooltip title={copied ? "Copied" : "Copy"}>
                <IconButton aria-label={`Copy ${label}`} onClick={() => void copy()} onMouseLeave={() => setCopied(false)} edge="end">
                  <ContentCopyIcon fontSize="small" />
                </IconButton>
              </Tooltip>
            </InputAdornment>
          ),
        },
      }}
    />
  );
}
