import AutorenewIcon from "@mui/icons-material/Autorenew";
import { Alert, Box, Button, Card, CardContent, CardHeader, IconButton, InputAdornment, Stack, TextField, Tooltip, Typography } from "@mui/material";
import { type SyntheticEvent, useState } from "react";
import { Link as RouterLink } from "react-router";
import { segment } from "../../api/client";
import { ApiError, describeError } from "../../api/errors";
import { useApi } from "../../api/useApi";
import { useAuth } from "../../auth/AuthContext";
import { useMe } from "../../auth/MeContext";
import { PageHeader } from "../../components/PageHeader";
import { TariffSelect } from "../../components/TariffSelect";
import { EmptyState } from "../../components/states";
import { useSubmit } from "../../hooks/useSubmit";
import { chargerPath } from "../../paths";
import { CopyField } from "./CopyField";
import {
  chargerIdProblem,
  generatePassword,
  MAX_CHARGER_ID_LENGTH,
  MAX_PASSWORD_LENGTH,
  ocppUrl,
  passwordProblem,
} from "./chargerRegistration";

interface Registered {
  chargerId: string;
  password: string;
}

/** Admins register a charger with a password and a tariff, then see once what to set on the charger. */
export function RegisterChargerPage() {
  const { canAdminister } = useMe();
  const [registered, setRegistered] = useState<Registered | null>(null);
  return (
    <>
      <PageHeader title="Register a charger" subtitle="Its id and HTTP Basic password (OCPP security profiles 1 and 2), and its tariff" />
      {!canAdminister ? (
        <EmptyState title="Only administrators register chargers" hint="Ask an administrator to register it, or to give you the admins role." />
      ) : registered === null ? (
        <RegistrationForm onRegistered={setRegistered} />
      ) : (
        <Credentials registered={registered} onAnother={() => setRegistered(null)} />
      )}
    </>
  );
}

function RegistrationForm({ onRegistered }: { onRegistered: (registered: Registered) => void }) {
  const client = useApi();
  const submit = useSubmit();
  const [chargerId, setChargerId] = useState("");
  const [password, setPassword] = useState(() => generatePassword());
  const [tariffId, setTariffId] = useState("");
  const [checked, setChecked] = useState(false);
  /** The id of a charger found registered already: registering it again replaces its password. */
  const [existing, setExisting] = useState<string | null>(null);
  const id = chargerId.trim();
  const idProblem = checked ? chargerIdProblem(id) : null;
  const secretProblem = checked ? passwordProblem(password) : null;
  const replacing = existing !== null && existing === id;

  const register = async (event: SyntheticEvent) => {
    event.preventDefault();
    setChecked(true);
    if (chargerIdProblem(id) !== null || passwordProblem(password) !== null) return;
    const path = `/chargers/${segment(id)}`;
    const done = await submit.run(async () => {
      if (!replacing && (await isRegistered(path))) {
        setExisting(id);
        throw new Error(`${id} is registered already: registering it again replaces its password and disconnects it until it uses the new one.`);
      }
      await client.send("PUT", path, { password, ...(tariffId ? { tariffId } : {}) });
    });
    if (done) onRegistered({ chargerId: id, password });
  };

  const isRegistered = async (path: string) => {
    try {
      await client.get(path);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return false;
      throw error;
    }
  };

  return (
    <Card sx={{ maxWidth: 640 }}>
      <CardContent>
        <Box component="form" onSubmit={(event) => void register(event)} noValidate>
          <Stack spacing={2}>
            {submit.error !== undefined && <Alert severity={replacing ? "warning" : "error"}>{describeError(submit.error)}</Alert>}
            <TextField
              label="Charger id"
              required
              autoFocus
              value={chargerId}
              onChange={(event) => setChargerId(event.target.value)}
              error={idProblem !== null}
              helperText={idProblem ?? `The charger's identity, the last part of its URL: up to ${MAX_CHARGER_ID_LENGTH} characters, no '/'`}
              slotProps={{ htmlInput: { maxLength: MAX_CHARGER_ID_LENGTH } }}
            />
            <TextField
              label="Password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              error={secretProblem !== null}
              helperText={secretProblem ?? "HTTP Basic password; a generated one is 32 random letters and digits. Shown once after registering."}
              slotProps={{
                htmlInput: { maxLength: MAX_PASSWORD_LENGTH, style: { fontFamily: "monospace" }, autoComplete: "off", spellCheck: false },
                input: {
                  endAdornment: (
                    <InputAdornment position="end">
                      <Tooltip title="Generate another">
                        <IconButton aria-label="Generate password" onClick={() => setPassword(generatePassword())} edge="end">
                          <AutorenewIcon />
                        </IconButton>
                      </Tooltip>
                    </InputAdornment>
                  ),
                },
              }}
            />
            <TariffSelect value={tariffId} onChange={setTariffId} noneLabel="the id token's or the default" helperText="Prices its sessions unless the id token has a tariff" />
            <Box>
              <Button type="submit" variant="contained" color={replacing ? "warning" : "primary"} disabled={submit.pending}>
                {submit.pending ? "Registering…" : replacing ? "Replace password" : "Register"}
              </Button>
            </Box>
          </Stack>
        </Box>
      </CardContent>
    </Card>
  );
}

function Credentials({ registered, onAnother }: { registered: Registered; onAnother: () => void }) {
  const { config } = useAuth();
  const url = ocppUrl(registered.chargerId, config.ocppUrl, window.location);
  return (
    <Card sx={{ maxWidth: 720 }}>
      <CardHeader title={`${registered.chargerId} is registered`} slotProps={{ title: { component: "h2" } }} />
      <CardContent>
        <Stack spacing={2}>
          <Alert severity="warning">
            Copy the password now: it is shown only this once (the CSMS keeps only a hash of it). To change it, register the charger again.
          </Alert>
          <Typography>Set these on the charger (OCPP 1.6 or 2.0.1, HTTP Basic authentication):</Typography>
          <CopyField label="OCPP URL" value={url} helperText={url.startsWith("wss:") ? "Security profile 2: TLS" : "Security profile 1: no TLS, for a local network"} />
          <CopyField label="Username" value={registered.chargerId} helperText="The charger id" />
          <CopyField label="Password" value={registered.password} />
          <Stack direction="row" spacing={1}>
            <Button variant="contained" component={RouterLink} to={chargerPath(registered.chargerId)}>
              Open the charger
            </Button>
            <Button onClick={onAnother}>Register another</Button>
          </Stack>
        </Stack>
      </CardContent>
    </Card>
  );
}
