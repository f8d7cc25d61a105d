import EvStationIcon from "@mui/icons-material/EvStation";
import { Alert, Box, Button, Card, CardContent, Stack, TextField, Typography } from "@mui/material";
import { type SyntheticEvent, useState } from "react";
import { createApiClient } from "../api/client";
import { ApiError } from "../api/errors";
import { apiBase } from "../config";
import { useAuth } from "./AuthContext";

/** Shown in place of any route while signed out; after sign-in the same route renders. */
export function SignInPage() {
  const { config, notice } = useAuth();
  return (
    <Box sx={{ minHeight: "100vh", display: "grid", placeItems: "center", bgcolor: "background.default", p: 2 }}>
      <Card sx={{ width: "100%", maxWidth: 420 }}>
        <CardContent>
          <Stack spacing={2}>
            <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
              <EvStationIcon color="primary" fontSize="large" />
              <Typography variant="h5" component="h1">
                CSMS console
              </Typography>
            </Stack>
            {notice !== null && <Alert severity="info">{notice}</Alert>}
            {config.auth === "token" ? <TokenSignIn /> : <CognitoSignIn />}
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
}

function CognitoSignIn() {
  const { signInWithCognito } = useAuth();
  return (
    <Button variant="contained" size="large" onClick={() => void signInWithCognito()}>
      Sign in
    </Button>
  );
}

function TokenSignIn() {
  const { config, signInWithToken } = useAuth();
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setChecking(true);
    setError(null);
    const trial = createApiClient({ base: apiBase(config), token: () => Promise.resolve(token.trim()), onUnauthorized: () => undefined });
    try {
      await trial.get("/me");
    } catch (failure) {
      // Only a 401 says the token is wrong; after sign-in, anything else shows where it happens.
      if (failure instanceof ApiError && failure.status === 401) {
        setError("The API refused this token.");
        setChecking(false);
        return;
      }
    }
    setChecking(false);
    signInWithToken(token.trim());
  };

  return (
    <Box component="form" onSubmit={(event) => void submit(event)}>
      <Stack spacing={2}>
        <Typography color="text.secondary">
          Enter the API token <code>csms local</code> printed when it started. It is kept for this browser tab only.
        </Typography>
        <TextField
          label="API token"
          type="password"
          autoComplete="current-password"
          autoFocus
          required
          value={token}
          onChange={(event) => setToken(event.target.value)}
          error={error !== null}
          helperText={error}
        />
        <Button type="submit" variant="contained" size="large" disabled={checking || token.trim() === ""}>
          {checking ? "Checking…" : "Sign in"}
        </Button>
      </Stack>
    </Box>
  );
}
