import { CssBaseline, Typography } from "@mui/material";

export function App() {
  return (
    <>
      <CssBaseline />
      <Typography variant="h4">CSMS console</Typography>
    </>
  );
}
