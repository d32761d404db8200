/** Our own company as it appears on delivery slips (供货单位, GSP art. 92); from the settings. */
export type CompanyProfile = { name: string; address: string; licenceNo: string; phone: string | null };

/** What the sales module needs from the settings; supplied by the composition root. */
export type SalesRuntime = {
  /** `null` until MEDLEDGER_COMPANY_NAME, _ADDRESS and _LICENCE_NO are set: slips are then refused. */
  company: CompanyProfile | null;
};

declare module '../../platform/runtime.js' {
  interface Runtime {
    sales: SalesRuntime;
  }
}
