/**
 * The words GPs and patients say for the commonest ICPC-2 codes, where the code's own Norwegian
 * text says it otherwise ("forkjølelse" is R74 "Akutt øvre luftveisinfeksjon"). Searched beside
 * the text, never shown as it. Written here because @navikt/diagnosekoder ships only the short
 * texts, not the inclusion terms of the Norwegian edition; keep it to well-known everyday words.
 */
export const icpc2Synonyms: ReadonlyMap<string, readonly string[]> = new Map([
  ['R74', ['forkjølelse', 'snue', 'øli', 'virusinfeksjon luftveier']],
  ['R75', ['sinusitt']],
  ['R76', ['halsbetennelse', 'streptokokker', 'angina']],
  ['R78', ['bronkitt']],
  ['R80', ['influensa', 'flu']],
  ['R81', ['pneumoni']],
  ['D73', ['omgangssyke', 'magesyke', 'oppkast og diaré']],
  ['U71', ['blærekatarr', 'blærebetennelse', 'uvi']],
  ['H71', ['ørebetennelse', 'otitt']],
  ['F70', ['øyekatarr', 'øyebetennelse']],
  ['S74', ['soppinfeksjon hud', 'fotsopp']],
  ['L03', ['lumbago', 'ryggsmerter', 'vondt i ryggen', 'hekseskudd']],
  ['K86', ['høyt blodtrykk', 'blodtrykk']],
  ['T90', ['sukkersyke', 'diabetes']],
  ['P76', ['depresjon', 'nedstemthet']],
  ['P74', ['angst']],
  ['A04', ['utmattelse', 'trøtthet']],
  ['L86', ['isjias', 'prolaps']],
  ['T82', ['overvekt']],
]);
