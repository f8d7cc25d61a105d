import { createTheme } from "@mui/material";

export const theme = createTheme({
  palette: {
    primary: { main: "#00796b" },
    secondary: { main: "#5c6bc0" },
    background: { default: "#f5f7f8" },
  },
  shape: { borderRadius: 8 },
  components: {
    MuiCard: { defaultProps: { variant: "outlined" } },
    MuiPaper: { defaultProps: { variant: "outlined" } },
    MuiAppBar: { defaultProps: { elevation: 0 } },
    MuiTableCell: { styleOverrides: { head: { fontWeight: 600 } } },
  },
});
