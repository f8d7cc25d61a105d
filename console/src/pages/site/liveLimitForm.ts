/** The live limit form: amps per phase, and for how long from now. */
export interface LiveLimitFields {
  limitAmps: string;
  minutes: string;
}

export interface LiveLimitBody {
  limitAmps: string;
  validUntil: string;
}

const AMPS = /^\d+(\.\d)?$/;
const MINUTES = /^\d+$/;
/** A week: a live limit stands for a signal from outside, renewed while it lasts. */
export const MAX_MINUTES = 7 * 24 * 60;

/** What is wrong with each field (empty: nothing); the API checks the limit against the site's bounds. */
export function problems(fields: LiveLimitFields, site: { minChargingCurrentAmps: number; gridLimitAmps: number }): Partial<LiveLimitFields> {
  const found: Partial<LiveLimitFields> = {};
  const amps = fields.limitAmps.trim();
  if (!AMPS.test(amps)) found.limitAmps = "Amps per phase, at most one decimal (16 or 16.5)";
  else if (Number(amps) < site.minChargingCurrentAmps || Number(amps) > site.gridLimitAmps)
    found.limitAmps = `From ${site.minChargingCurrentAmps} to ${site.gridLimitAmps} A`;
  const minutes = fields.minutes.trim();
  if (!MINUTES.test(minutes) || Number(minutes) < 1 || Number(minutes) > MAX_MINUTES)
    found.minutes = `Whole minutes, 1 to ${MAX_MINUTES}`;
  return found;
}

/** The request body: amps as a decimal string (exact), until `minutes` after `now`. */
export function liveLimitBody(fields: LiveLimitFields, now: Date): LiveLimitBody {
  const until = new Date(now.getTime() + Number(fields.minutes.trim()) * 60_000);
  return { limitAmps: fields.limitAmps.trim(), validUntil: until.toISOString() };
}
