import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { isDomainError } from '@credit/platform/errors';
import { fileError, NOT_VALID_XLSX } from '../file-error.js';

// saxes, driven chunk by chunk from an inflated zip entry. Two guards: a DOCTYPE is refused (spreadsheet parts have
// none; entity tricks need one), and saxes buffers text and attributes until the next markup, so a part that goes
// on too long without any markup is stopped instead of growing that buffer without bound.

export interface XmlHandlers {
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  text(text: string): void;
}

export class XmlStream {
  private readonly parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  private readonly decoder = new TextDecoder('utf-8');
  private sinceMarkup = 0;

  constructor(
    private readonly part: string,
    handlers: XmlHandlers,
    private readonly maxCharsWithoutMarkup: number,
  ) {
    this.parser.on('opentag', (tag: SaxesTagPlain) => {
      this.sinceMarkup = 0;
      handlers.open(localName(tag.name), tag.attributes);
    });
    this.parser.on('closetag', (tag: SaxesTagPlain) => {
      this.sinceMarkup = 0;
      handlers.close(localName(tag.name));
    });
    this.parser.on('text', (text: string) => handlers.text(text));
    this.parser.on('cdata', (text: string) => handlers.text(text));
    this.parser.on('doctype', () => {
      throw fileError('XLSX_INVALID', `${NOT_VALID_XLSX}：部件“${part}”含有 DOCTYPE 声明`);
    });
  }

  write(chunk: Buffer): void {
    const text = this.decoder.decode(chunk, { stream: true });
    this.sinceMarkup += text.length;
    if (this.sinceMarkup > this.maxCharsWithoutMarkup) {
      throw fileError('XLSX_INVALID', `${NOT_VALID_XLSX}：部件“${this.part}”中有超过${this.maxCharsWithoutMarkup}个字符的单个文本或标记`);
    }
    this.guard(() => this.parser.write(text));
  }

  end(): void {
    this.guard(() => {
      this.parser.write(this.decoder.decode());
      this.parser.close();
    });
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (err) {
      if (isDomainError(err)) throw err;
      const detail = err instanceof Error ? err.message : String(err);
      throw fileError('XLSX_INVALID', `${NOT_VALID_XLSX}：部件“${this.part}”的 XML 格式错误（${detail.slice(0, 200)}）`);
    }
  }
}

/** `x:row` → `row`: some writers prefix the spreadsheet namespace. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** An attribute by local name, whatever its prefix (`r:id` is sometimes spelt with another prefix). */
export function attributeByLocalName(attributes: Record<string, string>, local: string): string | undefined {
  for (const [key, value] of Object.entries(attributes)) if (localName(key) === local) return value;
  return undefined;
}

/** OOXML escapes characters XML cannot carry as `_xHHHH_` (e.g. `_x000D_` for a carriage return). */
export function decodeOoxmlEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
