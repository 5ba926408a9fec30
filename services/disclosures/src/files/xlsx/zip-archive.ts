import { createInflateRaw } from 'node:zlib';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { isDomainError } from '@credit/platform/errors';
import { fileError, NOT_VALID_XLSX } from '../file-error.js';
import { formatBytes, type FileLimits } from '../limits.js';

// A zip file read through its central directory, with every entry inflated under guard: limits on the number of
// entries, on each entry's declared size and ratio, and — because headers can lie — on the bytes actually inflated
// and the ratio actually observed, counted while streaming so a bomb is stopped before memory or time grows.

/** Below this many inflated bytes the ratio is not judged: tiny repetitive parts compress extremely well. */
const RATIO_GRACE_BYTES = 1024 * 1024;

export class ZipArchive {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    private readonly limits: FileLimits,
  ) {}

  static async open(path: string, limits: FileLimits): Promise<ZipArchive> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: false, strictFileNames: false }, (err, z) =>
        err ? reject(invalidZip(err)) : resolve(z),
      );
    });
    try {
      if (zip.entryCount > limits.maxZipEntries) throw tooManyEntries(limits);
      const entries = await readDirectory(zip, limits);
      return new ZipArchive(zip, entries, limits);
    } catch (err) {
      zip.close();
      throw err;
    }
  }

  /** Looks an entry up by name, ignoring case (some writers differ in case from the spec's part names). */
  entry(name: string): yauzl.Entry | undefined {
    return this.entries.get(name.toLowerCase());
  }

  /**
   * The inflated bytes of an entry, chunk by chunk. `maxBytes` caps this entry below the general limit (for parts
   * that should be small). `onCompressed` reports compressed bytes consumed, for progress.
   */
  async *inflate(entry: yauzl.Entry, maxBytes: number, onCompressed?: (bytes: number) => void): AsyncGenerator<Buffer> {
    const limit = Math.min(maxBytes, this.limits.maxEntryInflatedBytes);
    checkDeclared(entry, limit, this.limits);
    const raw = await this.openRaw(entry);
    const inflated: Readable = entry.compressionMethod === 8 ? raw.pipe(createInflateRaw()) : raw;
    let compressed = 0;
    raw.on('data', (chunk: Buffer) => {
      compressed += chunk.length;
      onCompressed?.(compressed);
    });
    raw.on('error', (err) => inflated.destroy(err));
    let produced = 0;
    try {
      for await (const chunk of inflated as AsyncIterable<Buffer>) {
        produced += chunk.length;
        if (produced > limit) throw tooLarge(entry, limit);
        if (produced > entry.uncompressedSize) {
          throw fileError('XLSX_INVALID', `${NOT_VALID_XLSX}：部件“${entry.fileName}”解压后的大小与声明不符`);
        }
        if (produced > RATIO_GRACE_BYTES && produced / Math.max(compressed, 1) > this.limits.maxCompressionRatio) {
          throw ratioTooHigh(entry, this.limits);
        }
        yield chunk;
      }
    } catch (err) {
      if (isDomainError(err)) throw err;
      throw invalidZip(err);
    } finally {
      raw.destroy();
      inflated.destroy();
    }
  }

  close(): void {
    this.zip.close();
  }

  private openRaw(entry: yauzl.Entry): Promise<Readable> {
    if (entry.isEncrypted()) throw fileError('XLSX_INVALID', `${NOT_VALID_XLSX}：文件已加密，请取消密码保护后再导入`);
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw fileError('XLSX_INVALID', `${NOT_VALID_XLSX}：部件“${entry.fileName}”使用了不支持的压缩方式`);
    }
    return new Promise((resolve, reject) => {
      this.zip.openReadStream(entry, { decompress: false, decrypt: null, start: null, end: null }, (err, stream) =>
        err ? reject(invalidZip(err)) : resolve(stream),
      );
    });
  }
}

function readDirectory(zip: yauzl.ZipFile, limits: FileLimits): Promise<Map<string, yauzl.Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entries.size >= limits.maxZipEntries) {
        reject(tooManyEntries(limits));
        return;
      }
      entries.set(entry.fileName.toLowerCase(), entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (err: unknown) => reject(invalidZip(err)));
    zip.readEntry();
  });
}

function checkDeclared(entry: yauzl.Entry, limit: number, limits: FileLimits): void {
  if (entry.uncompressedSize > limit) throw tooLarge(entry, limit);
  if (entry.uncompressedSize > RATIO_GRACE_BYTES && entry.uncompressedSize / Math.max(entry.compressedSize, 1) > limits.maxCompressionRatio) {
    throw ratioTooHigh(entry, limits);
  }
}

function invalidZip(err: unknown): Error {
  const detail = err instanceof Error ? err.message : String(err);
  return fileError('XLSX_INVALID', `${NOT_VALID_XLSX}：压缩包已损坏或不完整（${detail}）`);
}

function tooManyEntries(limits: FileLimits): Error {
  return fileError('XLSX_TOO_MANY_ENTRIES', `${NOT_VALID_XLSX}：压缩包内的部件超过${limits.maxZipEntries}个`);
}

function tooLarge(entry: yauzl.Entry, limit: number): Error {
  return fileError(
    'XLSX_ENTRY_TOO_LARGE',
    `XLSX 部件“${entry.fileName}”解压后超过${formatBytes(limit)}的上限，已停止读取（可能是压缩炸弹；数据量大时请改用 CSV 格式）`,
  );
}

function ratioTooHigh(entry: yauzl.Entry, limits: FileLimits): Error {
  return fileError(
    'XLSX_COMPRESSION_RATIO',
    `XLSX 部件“${entry.fileName}”的压缩比超过${limits.maxCompressionRatio}:1 的上限，已停止读取（可能是压缩炸弹）`,
  );
}
