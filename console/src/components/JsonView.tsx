import { Box, Typography } from "@mui/material";

/** A payload as JSON, as it went over the wire. */
export function JsonView({ label, value }: { label: string; value: unknown }) {
  return (
    <Box sx={{ mb: 2 }}>
      <Typography variant="subtitle2" gutterBottom>
        {label}
      </Typography>
      <Box
        component="pre"
        sx={{ m: 0, p: 1.5, bgcolor: "grey.100", borderRadius: 1, overflow: "auto", fontSize: 13, maxHeight: 320 }}
      >
        {JSON.stringify(value, null, 2)}
      </Box>
    </Box>
  );
}
