/** The operator API's resources, as the console reads them (see GET /api/openapi.json). */

/** Money and energy are JSON decimal strings (README "Operator API"); older answers may hold numbers. */
export type Decimal = string | number;

export interface Page<T> {
  items: T[];
  nextToken: string | null;
}

export type Role = "viewers" | "operators" | "admins";

export interface Me {
  username: string;
  role: Role | null;
  canOperate: boolean;
  canAdminister: boolean;
}

export interface Connector {
  connectorId: number;
  evseId: number | null;
  status: string;
  errorCode: string | null;
  info: string | null;
  timestamp: string;
}

export interface Charger {
  id: string;
  connected: boolean;
  ocppVersion: string | null;
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  lastSeen: string | null;
  lastBoot: string | null;
  hasPassword: boolean;
  tariffId?: string | null;
  connectors: Connector[];
}

export interface ConfigurationEntry {
  component: string | null;
  componentInstance: string | null;
  evseId: number | null;
  connectorId: number | null;
  variable: string;
  variableInstance: string | null;
  attributeType: string;
  value: string | null;
  mutability: string | null;
  reportedAt: string | null;
}

export interface ChargerDetail extends Charger {
  configuration: ConfigurationEntry[];
  recentCommands: Command[];
}

export type CommandStatus = "Pending" | "Sent" | "Accepted" | "Rejected" | "Failed" | "TimedOut" | "Offline";

export interface Command {
  commandId: string;
  chargerId: string;
  ocppVersion: string;
  action: string;
  status: CommandStatus;
  request: Record<string, unknown>;
  response: Record<string, unknown> | null;
  error: { code: string; description: string } | null;
  executionArn: string | null;
  followUp: { kind: string; timeoutSeconds: number } | null;
  result: Record<string, unknown> | null;
  createdAt: string;
  sentAt: string | null;
  answeredAt: string | null;
  finishedAt: string | null;
}

export interface CommandAccepted {
  commandId: string;
}

export interface RecordedError {
  reason: string;
  at: string;
}

export interface Transaction {
  transactionId: string;
  chargerId: string;
  ocppVersion: string;
  connectorId: number | null;
  evseId: number | null;
  idToken: string | null;
  status: "Active" | "Completed";
  startedAt: string;
  stoppedAt: string | null;
  meterStart: Decimal | null;
  meterStop: Decimal | null;
  energyWh: Decimal | null;
  stopReason: string | null;
  closedByCsms?: string | null;
  billingError?: RecordedError | null;
  costUpdateError?: RecordedError | null;
}

/** A sampled value as the charge point sent it (1.6: value is a string, 2.0.1: a number). */
export interface SampledValue {
  value: string | number;
  measurand?: string;
  unit?: string;
  unitOfMeasure?: { unit?: string; multiplier?: number };
  phase?: string;
  context?: string;
  [other: string]: unknown;
}

export interface MeterValue {
  timestamp: string;
  sampledValue: SampledValue[];
  outOfRange?: number[];
}

export interface TransactionDetail extends Transaction {
  meterValues: MeterValue[];
  /** Null without a tariff or when it cannot be priced; absent from an API older than this field. */
  cost?: SessionCost | null;
}

export type Severity = "error" | "warning" | "info";

/** Kinds of stored notification: the OCPP action that brought it (StatusNotification: a fault). */
export const NOTIFICATION_KINDS = [
  "StatusNotification",
  "SecurityEventNotification",
  "FirmwareStatusNotification",
  "PublishFirmwareStatusNotification",
  "DiagnosticsStatusNotification",
  "LogStatusNotification",
  "NotifyEvent",
  "NotifyReport",
  "NotifyMonitoringReport",
  "NotifyCustomerInformation",
  "NotifyDisplayMessages",
  "ReportChargingProfiles",
  "NotifyChargingLimit",
  "ClearedChargingLimit",
  "NotifyEVChargingNeeds",
  "NotifyEVChargingSchedule",
  "DataTransfer",
] as const;

export interface Notification {
  chargerId: string;
  kind: string;
  /** When the CSMS received it. */
  timestamp: string;
  messageId: string;
  severity: Severity;
  summary: string;
  details: Record<string, unknown>;
}

export interface Overview {
  chargers: { total: number; connected: number; offline: number; faulted: number };
  activeSessions: number;
  energyWh: { today: Decimal; month: Decimal };
  revenue: { currency: string; today: Decimal; month: Decimal }[];
  latestFaults: Notification[];
  latestSecurityEvents: Notification[];
  timeZone?: string;
}

export interface OcppAction {
  action: string;
  shortcut?: string | null;
}

export interface InvoiceLine {
  kind: string;
  quantity: Decimal;
  unitPrice: Decimal;
  amount: Decimal;
}

export interface Invoice {
  invoiceId: string;
  transactionId: string;
  chargerId: string;
  idToken: string | null;
  tariffId: string;
  currency: string;
  lines: InvoiceLine[];
  net: Decimal;
  tax: Decimal;
  total: Decimal;
  issuedAt: string;
  startedAt: string;
  stoppedAt: string;
  energyWh: Decimal;
}

export const ID_TOKEN_STATUSES = ["Accepted", "Blocked", "Expired", "Invalid"] as const;

/** OCPP 2.0.1 IdTokenEnumType. */
export const ID_TOKEN_TYPES = ["Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization"] as const;

export interface IdToken {
  idToken: string;
  status: (typeof ID_TOKEN_STATUSES)[number];
  expiry: string | null;
  parentId: string | null;
  type: string | null;
  tariffId: string | null;
}

/** Prices are decimal strings in `currency`; an absent price is zero, an absent bound none. */
export interface Tariff {
  tariffId: string;
  currency: string;
  pricePerKwh: string | null;
  pricePerMinute: string | null;
  sessionFee: string | null;
  idleFeePerMinute: string | null;
  idleGraceMinutes: string | null;
  minPrice: string | null;
  maxPrice: string | null;
  taxRate: string | null;
  displayText: string | null;
}

export const ROLES: readonly Role[] = ["viewers", "operators", "admins"];

export interface User {
  username: string;
  email: string | null;
  role: Role | null;
  enabled: boolean;
  /** Cognito's: FORCE_CHANGE_PASSWORD until the invitation is used, then CONFIRMED. */
  status: string;
}

/** What a session costs so far by its tariff, tax included (GET /api/transactions/{id}). */
export interface SessionCost {
  currency: string;
  total: Decimal;
  until: string;
}

/** Currents (A) and voltages (V): JSON numbers (README "Numbers"). */
export type LimitSource = "configured" | "schedule" | "live";

export interface LimitInForce {
  amps: number;
  source: LimitSource;
  /** When it may change next; null: not until the site changes (always null in the history). */
  until: string | null;
}

export interface Site {
  siteId: string;
  name: string;
  gridLimitAmps: number;
  phases: 1 | 3;
  voltage: number;
  minChargingCurrentAmps: number;
  timeZone: string;
  liveLimit: { limitAmps: number; validUntil: string } | null;
  limitInForce: LimitInForce;
  updatedAt: string;
}

export type ProfileStatus = "Applied" | "Pending" | "Rejected" | "Offline";

export interface SessionAllocation {
  chargerId: string;
  transactionId: string;
  connectorId: number | null;
  evseId: number | null;
  allocatedAmps: number;
  effectiveAmps: number;
  profileStatus: ProfileStatus;
  /** The latest Current.Import (a 3-phase reading's highest phase); null when the charger does not report it. */
  measuredAmps: number | null;
}

export interface SiteAllocation {
  siteId: string;
  /** Null before the site's first rebalance. */
  computedAt: string | null;
  limitInForce: LimitInForce;
  sessions: SessionAllocation[];
  totals: { allocatedAmps: number; effectiveAmps: number; measuredAmps: number | null };
}
