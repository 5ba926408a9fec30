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
 * The distinct single characters and pairs of adjacent characters of the normalised, lower-cased name, for a GIN
 * index on text[]. Whitespace, punctuation and symbols split the name, so tokens never straddle them. A query
 * string goes through the same function; a name matches when its tokens contain all the query's tokens.
 */
export function nameSearchTokens(name: string): string[] {
  const tokens = new Set<string>();
  for (const segment of normalizeName(name).toLowerCase().split(/[\s\p{P}\p{S}]+/u)) {
    const characters = [...segment];
    characters.forEach((character, i) => {
      tokens.add(character);
      const next = characters[i + 1];
      if (next !== undefined) tokens.add(character + next);
    });
  }
  return [...tokens];
}
