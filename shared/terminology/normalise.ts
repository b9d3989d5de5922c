/**
 * One folding of text for search, shared by the code pickers (here) and the server's patient name
 * search, so that what the user types and what was indexed fold the same way on both sides.
 *
 * - lowercase first: some capitals lowercase to a letter plus a combining mark (İ -> i + U+0307),
 *   which the next step then removes;
 * - NFD then drop every combining mark: é -> e, å -> a, ü -> u, č -> c (Sami names included);
 * - letters that are not a base letter plus a mark, and so survive NFD, are folded by hand:
 *   ø -> o, æ -> ae (what a Norwegian types on a keyboard without them), and a few more a
 *   Norwegian register meets (Sami đ, ŋ, ŧ; German ß; Polish ł; Icelandic þ, ð);
 * - runs of whitespace become one space and the ends are trimmed, so "Bjørn  Åsen " and
 *   "bjorn asen" index alike.
 * The result is idempotent: folding folded text changes nothing (tested with fast-check).
 *
 * The server stores folded values in its search index (server/fhir/search-index.ts): a change
 * here changes what existing rows must hold, so it needs a reindex migration. This module imports
 * nothing, so the server can use it without loading the code lists.
 */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ð: 'd',
  ŋ: 'n',
  ŧ: 't',
  þ: 'th',
  ł: 'l',
  ı: 'i',
};

const FOLDABLE_LETTER = /[æøœßđðŋŧþłı]/g;
const COMBINING_MARK = /\p{M}/gu;
const WHITESPACE_RUN = /\s+/g;

export const normaliseForSearch = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARK, '')
    .replace(FOLDABLE_LETTER, (letter) => LETTER_FOLDS[letter] ?? letter)
    .replace(WHITESPACE_RUN, ' ')
    .trim();
