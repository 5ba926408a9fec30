import { createReadStream } from 'node:fs';
import type { RawRecord, RawRecordSource } from '../raw-record.js';
import type { CsvEncoding } from '../types.js';
import { createDecoder } from './decoder.js';
import { CsvTokenizer } from './tokenizer.js';

export interface CsvSourceOptions {
  encoding: CsvEncoding;
  delimiter: ',' | '\t';
  maxRowChars: number;
  /** Called with the bytes consumed so far, for progress. */
  onBytes: (bytesRead: number) => void;
}

/** Streams a CSV file as batches of raw records, one batch per chunk read; memory stays at a chunk plus one row. */
export async function* csvRecords(path: string, options: CsvSourceOptions): RawRecordSource {
  const decoder = createDecoder(options.encoding);
  const tokenizer = new CsvTokenizer(options.delimiter, options.maxRowChars);
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  let bytesRead = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      options.onBytes(bytesRead);
      const batch: RawRecord[] = [];
      tokenizer.push(decoder.write(chunk), batch);
      if (batch.length > 0) yield batch;
    }
    const last: RawRecord[] = [];
    tokenizer.push(decoder.end(), last);
    tokenizer.end(last);
    if (last.length > 0) yield last;
  } finally {
    stream.destroy();
  }
}
