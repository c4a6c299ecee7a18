// The part of unzipper (0.10) the Excel read-back uses; the package ships no types.
declare module 'unzipper' {
  import type { Readable } from 'node:stream';

  interface CentralDirectoryFile {
    path: string;
    type: 'File' | 'Directory';
    uncompressedSize: number;
    stream(password?: string): Readable;
  }

  interface CentralDirectory {
    files: CentralDirectoryFile[];
  }

  const unzipper: {
    Open: {
      file(path: string): Promise<CentralDirectory>;
      buffer(data: Buffer): Promise<CentralDirectory>;
    };
  };
  export default unzipper;
}
