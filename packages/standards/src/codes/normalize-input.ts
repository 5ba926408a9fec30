/**
 * Codes arrive pasted from spreadsheets and Word documents: full-width digits and letters (NFKC folds them),
 * stray spaces around the code and lower case. None of these change which code was meant.
 */
export function normalizeCodeInput(raw: string): string {
  return raw.normalize('NFKC').trim().toUpperCase();
}

/** 1-based position and character of the first character outside `allowed`, if any. */
export function firstBadCharacter(code: string, allowed: (ch: string, index: number) => boolean): { position: number; character: string } | undefined {
  for (let i = 0; i < code.length; i++) {
    const ch = code.charAt(i);
    if (!allowed(ch, i)) return { position: i + 1, character: ch };
  }
  return undefined;
}
