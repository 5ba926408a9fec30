import { posix } from 'node:path';
import { fileError, NOT_VALID_XLSX } from '../file-error.js';
import type { FileLimits } from '../limits.js';
import { readXmlPart } from './read-part.js';
import { attributeByLocalName } from './xml-stream.js';
import type { ZipArchive } from './zip-archive.js';

// Finds the parts to read the way the Open Packaging Conventions say: the package relationships name the workbook,
// the workbook names its sheets in order, and the workbook's relationships give each sheet's part and the shared
// strings and styles parts.

export interface WorkbookParts {
  sheetName: string;
  sheetPath: string;
  sharedStringsPath?: string;
  stylesPath?: string;
  date1904: boolean;
}

const METADATA_TEXT_LIMIT = 1024 * 1024;

export async function locateWorkbookParts(archive: ZipArchive, limits: FileLimits): Promise<WorkbookParts> {
  const rootRels = await readRelationships(archive, '_rels/.rels', limits);
  const workbookPath =
    rootRels.find((r) => r.type.endsWith('/officeDocument'))?.target ?? (archive.entry('xl/workbook.xml') ? 'xl/workbook.xml' : undefined);
  const workbookEntry = workbookPath ? archive.entry(workbookPath) : undefined;
  if (!workbookPath || !workbookEntry) throw fileError('XLSX_INVALID', `${NOT_VALID_XLSX}：压缩包中没有工作簿，不是电子表格文件`);

  let date1904 = false;
  let firstSheet: { name: string; id: string } | undefined;
  await readXmlPart(archive, workbookEntry, limits.maxMetadataBytes, METADATA_TEXT_LIMIT, {
    open(name, attributes) {
      if (name === 'workbookPr') date1904 = ['1', 'true'].includes(attributes['date1904'] ?? '');
      if (name === 'sheet' && !firstSheet) {
        firstSheet = { name: attributes['name'] ?? '', id: attributeByLocalName(attributes, 'id') ?? '' };
      }
    },
    close() {},
    text() {},
  });
  if (!firstSheet) throw fileError('XLSX_INVALID', `${NOT_VALID_XLSX}：工作簿中没有工作表`);

  const workbookRels = await readRelationships(archive, relsPathOf(workbookPath), limits, posix.dirname(workbookPath));
  const sheetId = firstSheet.id;
  const sheetPath = workbookRels.find((r) => r.id === sheetId)?.target;
  if (!sheetPath || !archive.entry(sheetPath)) {
    throw fileError('XLSX_INVALID', `${NOT_VALID_XLSX}：找不到第一个工作表“${firstSheet.name}”的内容`);
  }
  const existing = (type: string): string | undefined => {
    const target = workbookRels.find((r) => r.type.endsWith(type))?.target;
    return target && archive.entry(target) ? target : undefined;
  };
  return {
    sheetName: firstSheet.name,
    sheetPath,
    sharedStringsPath: existing('/sharedStrings'),
    stylesPath: existing('/styles'),
    date1904,
  };
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

async function readRelationships(archive: ZipArchive, path: string, limits: FileLimits, baseDir = ''): Promise<Relationship[]> {
  const entry = archive.entry(path);
  if (!entry) return [];
  const relationships: Relationship[] = [];
  await readXmlPart(archive, entry, limits.maxMetadataBytes, METADATA_TEXT_LIMIT, {
    open(name, attributes) {
      if (name !== 'Relationship' || attributes['TargetMode'] === 'External') return;
      const target = attributes['Target'] ?? '';
      relationships.push({ id: attributes['Id'] ?? '', type: attributes['Type'] ?? '', target: resolveTarget(baseDir, target) });
    },
    close() {},
    text() {},
  });
  return relationships;
}

/** Targets are relative to the source part's folder, or absolute from the package root when they start with `/`. */
function resolveTarget(baseDir: string, target: string): string {
  const joined = target.startsWith('/') ? target.slice(1) : posix.join(baseDir, target);
  return posix.normalize(joined).replace(/^(\.\.\/)+/, '');
}

function relsPathOf(partPath: string): string {
  return posix.join(posix.dirname(partPath), '_rels', `${posix.basename(partPath)}.rels`);
}
