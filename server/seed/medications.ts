/**
 * The medicines the generated problem lists use, coded with ATC (what FEST and every Norwegian
 * prescribing system carry); the product text is what a clinician would see on the list.
 */
export interface Medication {
  readonly atc: string;
  readonly substance: string;
  readonly product: string;
  readonly dosage: string;
}

const medication = (atc: string, substance: string, product: string, dosage: string): Medication => ({
  atc,
  substance,
  product,
  dosage,
});

export const MEDICATIONS = {
  metformin: medication('A10BA02', 'metformin', 'Metformin 500 mg tablett', '2 tabletter 2 ganger daglig'),
  empagliflozin: medication('A10BK03', 'empagliflozin', 'Jardiance 10 mg tablett', '1 tablett daglig'),
  sitagliptin: medication('A10BH01', 'sitagliptin', 'Januvia 100 mg tablett', '1 tablett daglig'),
  insulinAspart: medication('A10AB05', 'insulin aspart', 'NovoRapid 100 E/ml penn', 'Etter karbohydratmengde til måltidene'),
  insulinGlargine: medication('A10AE04', 'insulin glargin', 'Lantus 100 E/ml penn', '18 E om kvelden'),
  amlodipine: medication('C08CA01', 'amlodipin', 'Amlodipin 5 mg tablett', '1 tablett daglig'),
  losartan: medication('C09CA01', 'losartan', 'Losartan 50 mg tablett', '1 tablett daglig'),
  ramipril: medication('C09AA05', 'ramipril', 'Ramipril 5 mg kapsel', '1 kapsel daglig'),
  salbutamol: medication('R03AC02', 'salbutamol', 'Ventoline 0,1 mg/dose inhalasjonsaerosol', '1-2 inhalasjoner ved behov'),
  budesonideFormoterol: medication(
    'R03AK07',
    'formoterol og budesonid',
    'Symbicort Turbuhaler 160/4,5 mikrog/dose',
    '1 inhalasjon morgen og kveld',
  ),
  tiotropium: medication('R03BB04', 'tiotropiumbromid', 'Spiriva Respimat 2,5 mikrog/dose', '2 inhalasjoner 1 gang daglig'),
  sertraline: medication('N06AB06', 'sertralin', 'Sertralin 50 mg tablett', '1 tablett daglig'),
  escitalopram: medication('N06AB10', 'escitalopram', 'Escitalopram 10 mg tablett', '1 tablett daglig'),
  warfarin: medication('B01AA03', 'warfarin', 'Marevan 2,5 mg tablett', 'Etter INR, se doseringskort'),
  apixaban: medication('B01AF02', 'apiksaban', 'Eliquis 5 mg tablett', '1 tablett 2 ganger daglig'),
  metoprolol: medication('C07AB02', 'metoprolol', 'Metoprolol depot 50 mg tablett', '1 tablett daglig'),
  bisoprolol: medication('C07AB07', 'bisoprolol', 'Bisoprolol 5 mg tablett', '1 tablett daglig'),
  levothyroxine: medication('H03AA01', 'levotyroksinnatrium', 'Levaxin 100 mikrog tablett', '1 tablett daglig om morgenen'),
  furosemide: medication('C03CA01', 'furosemid', 'Furix 40 mg tablett', '1 tablett om morgenen'),
  acetylsalicylicAcid: medication('B01AC06', 'acetylsalisylsyre', 'Albyl-E 75 mg enterotablett', '1 tablett daglig'),
  glyceryl: medication('C01DA02', 'glyseroltrinitrat', 'Nitroglycerin 0,25 mg resoriblett', '1 ved brystsmerter, kan gjentas etter 5 minutter'),
  atorvastatin: medication('C10AA05', 'atorvastatin', 'Atorvastatin 20 mg tablett', '1 tablett daglig'),
  simvastatin: medication('C10AA01', 'simvastatin', 'Simvastatin 20 mg tablett', '1 tablett om kvelden'),
  paracetamol: medication('N02BE01', 'paracetamol', 'Paracetamol 500 mg tablett', '2 tabletter inntil 3 ganger daglig ved behov'),
  sumatriptan: medication('N02CC01', 'sumatriptan', 'Sumatriptan 50 mg tablett', '1 tablett ved anfall, høyst 2 per døgn'),
  hydrocortisone: medication('D07AA02', 'hydrokortison', 'Hydrokortison krem 1 %', 'Smøres på eksemet 1-2 ganger daglig i perioder'),
} as const;

export const WARFARIN_ATC = MEDICATIONS.warfarin.atc;
