import type yauzl from 'yauzl';
import type { ZipArchive } from './zip-archive.js';
import { XmlStream, type XmlHandlers } from './xml-stream.js';

/** Parses a whole (small) XML part with the given handlers. */
export async function readXmlPart(
  archive: ZipArchive,
  entry: yauzl.Entry,
  maxBytes: number,
  maxCharsWithoutMarkup: number,
  handlers: XmlHandlers,
): Promise<void> {
  const xml = new XmlStream(entry.fileName, handlers, maxCharsWithoutMarkup);
  for await (const chunk of archive.inflate(entry, maxBytes)) xml.write(chunk);
  xml.end();
}
