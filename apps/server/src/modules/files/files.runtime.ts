/** Where stored files go and how large they may be; supplied by the composition root from the settings. */
export type FilesRuntime = {
  /** `<data>/files`; null where nothing is stored (tools that never touch files). */
  dir: string | null;
  /** MEDLEDGER_UPLOAD_MAX_MB in bytes. */
  maxBytes: number;
};

declare module '../../platform/runtime.js' {
  interface Runtime {
    files: FilesRuntime;
  }
}
