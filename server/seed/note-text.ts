import type { Random } from './random';

/** The four sections of a Norwegian journal note, each a list of paragraphs. */
export interface NoteText {
  readonly anamnese: string[];
  readonly funn: string[];
  readonly vurdering: string[];
  readonly tiltak: string[];
}

export type EncounterSetting = 'gp' | 'emergency' | 'e-consultation';

/** Norwegian number: decimal comma. */
export const decimal = (value: number, decimals: number): string => value.toFixed(decimals).replace('.', ',');

export const duration = (days: number): string => {
  if (days <= 1) {
    return 'ett døgn';
  }
  return days < 21 ? `${days} dager` : `${Math.round(days / 7)} uker`;
};

export const side = (random: Random): string => random.pick(['høyre', 'venstre']);

/** Body temperature as written in a note: "38,4 °C". */
export const temperature = (random: Random, fever: boolean): string =>
  `${decimal(fever ? random.float(38, 39.8) : random.float(36.6, 37.6), 1)} °C`;

/** " CRP 12 mg/L." when one was taken, else nothing. */
export const crpSentence = (crp: number | undefined): string => (crp === undefined ? '' : ` CRP ${crp} mg/L.`);
