/**
 * Legal USCCs that fail the check character test (early pilot codes issued before the algorithm was fixed).
 * They were really issued, so rejecting them would lock the holders out; add entries only from an official source.
 */
export const KNOWN_EXCEPTIONS: ReadonlySet<string> = new Set(['91350100M0001TGQXM']);
