import { Alert, Box, Step, StepLabel, Stepper, Typography } from "@mui/material";
import type { Command } from "../api/types";
import { JsonView } from "../components/JsonView";
import { StatusChip } from "../components/StatusChip";
import { ErrorState, Loading } from "../components/states";
import { formatDateTime } from "../format";
import { isFinished, outcome, stage } from "./commandState";
import { useCommand } from "./useCommand";

/** A command's way from submission to its final status, followed live until it is finished. */
export function CommandProgress({ commandId }: { commandId: string }) {
  const { data: command, error, reload } = useCommand(commandId);
  if (command === undefined) return error === undefined ? <Loading label="Submitting…" /> : <ErrorState error={error} onRetry={reload} />;
  return <CommandSteps command={command} />;
}

export function CommandSteps({ command }: { command: Command }) {
  const finished = isFinished(command);
  const failed = ["Failed", "TimedOut", "Offline", "Rejected"].includes(command.status);
  const steps = [
    { label: "Submitted", at: command.createdAt, done: true },
    { label: "Sent", at: command.sentAt, done: command.sentAt !== null },
    { label: "Answered", at: command.answeredAt, done: command.answeredAt !== null || failed },
    ...(command.followUp === null ? [] : [{ label: `Follow-up: ${command.followUp.kind}`, at: command.finishedAt, done: finished }]),
  ];
  const active = steps.findIndex((step) => !step.done);
  return (
    <Box aria-live="polite">
      <Stepper activeStep={active === -1 ? steps.length : active} alternativeLabel sx={{ mb: 3 }}>
        {steps.map((step) => (
          <Step key={step.label} completed={step.done}>
            <StepLabel optional={step.at ? <Typography variant="caption">{formatDateTime(step.at)}</Typography> : undefined}>
              {step.label}
            </StepLabel>
          </Step>
        ))}
      </Stepper>
      <Alert
        severity={!finished ? "info" : failed ? "error" : "success"}
        icon={false}
        sx={{ mb: 2 }}
        action={<StatusChip status={command.status} />}
      >
        <Typography component="span" sx={{ fontWeight: 600 }}>
          {command.action}: {finished ? "finished" : stage(command)}
        </Typography>
        {outcome(command) && <Typography>{outcome(command)}</Typography>}
      </Alert>
      <JsonView label="Request" value={command.request} />
      {command.response !== null && <JsonView label="Response" value={command.response} />}
    </Box>
  );
}
