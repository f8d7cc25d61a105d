import { Button, Container, Typography } from "@mui/material";
import type { ReactNode } from "react";
import type { Me } from "../api/types";
import { ErrorState, Loading } from "../components/states";
import { usePolled } from "../hooks/usePolled";
import { useAuth } from "./AuthContext";
import { MeContext } from "./MeContext";

/** Reads who is signed in (GET /api/me) once per sign-in; a user without a role sees why. */
export function MeGate({ children }: { children: ReactNode }) {
  const { signOut } = useAuth();
  const { data: me, error, reload } = usePolled<Me>("/me", { live: false });
  if (me === undefined) {
    return error === undefined ? <Loading label="Signing in…" /> : <ErrorState error={error} onRetry={reload} />;
  }
  if (me.role === null) {
    return (
      <Container maxWidth="sm" sx={{ py: 8 }}>
        <Typography variant="h5" gutterBottom>
          No role yet
        </Typography>
        <Typography color="text.secondary" sx={{ mb: 2 }}>
          {me.username} is signed in but belongs to none of the groups viewers, operators or admins. Ask an
          administrator to add you to one.
        </Typography>
        <Button variant="outlined" onClick={signOut}>
          Sign out
        </Button>
      </Container>
    );
  }
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}
