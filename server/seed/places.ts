/**
 * Real municipalities (numbers as of the 2024 county reform), with a few real postal codes each,
 * and common Norwegian street names. Only the people are synthetic. `weight` is the population in
 * thousands (rounded), used to place GP offices where people live.
 */
export interface Municipality {
  readonly number: string;
  readonly name: string;
  readonly weight: number;
  readonly postalAreas: ReadonlyArray<{ readonly code: string; readonly city: string }>;
}

const area = (city: string, ...codes: string[]) => codes.map((code) => ({ code, city }));

export const MUNICIPALITIES: ReadonlyArray<Municipality> = [
  { number: '0301', name: 'Oslo', weight: 717, postalAreas: area('Oslo', '0152', '0355', '0458', '0560', '0661', '0870', '0971', '1051', '1181') },
  { number: '4601', name: 'Bergen', weight: 291, postalAreas: [...area('Bergen', '5003', '5035', '5055', '5089'), ...area('Fyllingsdalen', '5141'), ...area('Nesttun', '5221')] },
  { number: '5001', name: 'Trondheim', weight: 214, postalAreas: [...area('Trondheim', '7010', '7030', '7043', '7067'), ...area('Heimdal', '7080')] },
  { number: '1103', name: 'Stavanger', weight: 146, postalAreas: area('Stavanger', '4005', '4014', '4021', '4041') },
  { number: '4204', name: 'Kristiansand', weight: 116, postalAreas: area('Kristiansand S', '4608', '4631', '4639') },
  { number: '5501', name: 'Tromsø', weight: 78, postalAreas: [...area('Tromsø', '9008', '9011', '9019'), ...area('Tromsdalen', '9020')] },
  { number: '1508', name: 'Ålesund', weight: 58, postalAreas: area('Ålesund', '6002', '6008', '6015') },
  { number: '1804', name: 'Bodø', weight: 53, postalAreas: area('Bodø', '8003', '8006', '8012') },
  { number: '3405', name: 'Lillehammer', weight: 29, postalAreas: area('Lillehammer', '2609', '2615', '2618') },
  { number: '5603', name: 'Hammerfest', weight: 11, postalAreas: area('Hammerfest', '9600') },
  { number: '5025', name: 'Røros', weight: 6, postalAreas: area('Røros', '7374') },
  { number: '3435', name: 'Vågå', weight: 4, postalAreas: area('Vågå', '2680') },
];

export const STREETS = [
  'Storgata', 'Kirkegata', 'Skolevegen', 'Bjørkeveien', 'Møllebakken', 'Fjordgata', 'Åsveien', 'Solbakken',
  'Løkkeveien', 'Granlia', 'Sjøgata', 'Prestegårdsvegen', 'Ringveien', 'Høgskoleveien', 'Bekkefaret',
  'Furuveien', 'Kongens gate', 'Tårnveien', 'Rådhusgata', 'Nedre Ålesvei', 'Øvre Smedgate', 'Lyngåsen',
  'Stasjonsveien', 'Elvebakken', 'Parkveien', 'Vårveien', 'Eikelia', 'Nordre gate',
];

export const GP_OFFICE_NAMES = [
  'Sentrum legesenter', 'Bjørkelia legesenter', 'Fjordgløtt legekontor', 'Solsiden legesenter',
  'Torget legekontor', 'Elvebakken legesenter', 'Sjøsiden legesenter', 'Åsen legekontor', 'Møllebyen legesenter',
  'Kirkegata legekontor', 'Stasjonen legesenter', 'Hageby legesenter', 'Nordlys legesenter', 'Brygga legekontor',
];
