import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Readable } from 'node:stream';
import unzipper from 'unzipper';

export interface XlsxSheetRows {
  name: string;
  /** `<row>` elements after the first row (a table sheet's header): data rows. */
  rowsAfterFirst: number;
}

/**
 * Reads a workbook back for verification: its sheets in tab order and their rows, from the zip's
 * central directory and a streaming XML parse of each sheet (bounded memory for a million rows).
 *
 * Not exceljs's streaming WorkbookReader: on the workbooks exceljs's own streaming writer makes
 * (worksheets stored before xl/workbook.xml), that reader parks each sheet in a temporary file
 * and, about once in a hundred reads of the same good file, drops a sheet or never sees
 * workbook.xml ("Cannot read properties of undefined (reading 'sheets')"), depending on timing.
 * That failed about 1 in 20 Excel exports as "failed its check", more often on a busy process
 * (as an export worker is right after it starts). Reading entries by the central directory has
 * no ordering to race on.
 */
export async function readXlsxSheetRows(file: string | Buffer): Promise<XlsxSheetRows[]> {
  const directory = typeof file === 'string' ? await unzipper.Open.file(file) : await unzipper.Open.buffer(file);
  const entry = (name: string) => {
    const found = directory.files.find((candidate) => candidate.path === name);
    if (!found) throw new Error(`the workbook has no ${name}`);
    return found.stream();
  };
  const sheets: Array<{ name: string; relationId: string }> = [];
  await parseXml(entry('xl/workbook.xml'), (tag) => {
    if (tag.name === 'sheet') sheets.push({ name: String(tag.attributes.name), relationId: String(tag.attributes['r:id']) });
  });
  const targets = new Map<string, string>();
  await parseXml(entry('xl/_rels/workbook.xml.rels'), (tag) => {
    if (tag.name === 'Relationship') targets.set(String(tag.attributes.Id), String(tag.attributes.Target));
  });
  const result: XlsxSheetRows[] = [];
  for (const sheet of sheets) {
    const target = targets.get(sheet.relationId);
    if (!target) throw new Error(`sheet "${sheet.name}" has no part in the workbook's relationships`);
    let rowsAfterFirst = 0;
    await parseXml(entry(target.startsWith('/') ? target.slice(1) : `xl/${target}`), (tag) => {
      if (tag.name === 'row' && Number(tag.attributes.r ?? 0) > 1) rowsAfterFirst += 1;
    });
    result.push({ name: sheet.name, rowsAfterFirst });
  }
  return result;
}

/** A well-formedness-checking streaming parse; `onTag` sees every opening tag. */
async function parseXml(stream: Readable, onTag: (tag: SaxesTagPlain) => void): Promise<void> {
  const parser = new SaxesParser();
  parser.on('opentag', onTag);
  let failure: Error | null = null;
  parser.on('error', (error) => {
    failure ??= error;
  });
  // Decoded by the stream, so a character split across two chunks stays whole.
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    parser.write(chunk as string);
    if (failure) break;
  }
  if (!failure) parser.close();
  if (failure) {
    stream.destroy();
    throw failure;
  }
}
