/** The export storage shared exports and download links stream from (the one the export worker writes to). */
export const SHARED_STORAGE = Symbol('SHARED_STORAGE');
