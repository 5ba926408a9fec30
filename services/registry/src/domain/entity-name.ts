/**
 * One spelling per name, so that duplicates are found and searches match: NFKC folds full-width letters, digits and
 * spaces; runs of whitespace become one space; brackets take the full-width form （） used in registered Chinese
 * names (企业名称), without spaces around them.
 */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/ ?\( ?/g, '（')
    .replace(/ ?\) ?/g, '）');
}

/**
 * The distinct pairs of adjacent characters of the normalised, lower-cased name (CJK bigrams), for a GIN index on
 * text[]. Whitespace, punctuation and symbols split the name, so pairs never straddle them. A query string goes
 * through the same function; a name matches when its tokens contain all the query's tokens (the caller confirms the
 * substring). Single characters are not indexed: they doubled the index's entries, and its upkeep was half the
 * database's work per stored entity, while a one-character query matches too many names for an index to help — a
 * query needs two adjacent characters.
 */
export function nameSearchTokens(name: string): string[] {
  return normalizedNameTokens(normalizeName(name));
}

/** `nameSearchTokens` of a name that is already normalised (a validated entity's), without normalising it again. */
export function normalizedNameTokens(normalized: string): string[] {
  const tokens = new Set<string>();
  for (const segment of normalized.toLowerCase().split(/[\s\p{P}\p{S}]+/u)) {
    let previous: string | undefined;
    for (const character of segment) {
      if (previous !== undefined) tokens.add(previous + character);
      previous = character;
    }
  }
  return [...tokens];
}
