import { Inject } from '@nestjs/common';

/** The export storage downloads are streamed from (the one the export worker writes to). */
export const DOWNLOAD_STORAGE = Symbol('DOWNLOAD_STORAGE');
export const InjectDownloadStorage = (): ParameterDecorator => Inject(DOWNLOAD_STORAGE);
