import { segment } from "./api/client";

/** The console's addresses of things (ids percent-encoded: they may hold any printable character). */
export const chargerPath = (chargerId: string): string => `/chargers/${segment(chargerId)}`;

export const invoicePath = (invoiceId: string): string => `/invoices/${segment(invoiceId)}`;

export const sessionPath = (session: { chargerId: string; transactionId: string }): string =>
  `/sessions/${segment(session.chargerId)}/${segment(session.transactionId)}`;

export const sitePath = (siteId: string): string => `/sites/${segment(siteId)}`;
