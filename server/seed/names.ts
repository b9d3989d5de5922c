import type { Random } from './random';

/**
 * Norwegian given names by generation (Statistics Norway's most common names of each period, so a
 * ninety-year-old is an Ingrid or a Kjell and a child an Emma or a Jakob) and family names, with
 * æ, ø and å well represented so that search folding meets them in every demo.
 */
type Generation = 'born-before-1960' | 'born-1960-1994' | 'born-1995-or-later';

const GIVEN: Record<'female' | 'male', Record<Generation, readonly string[]>> = {
  female: {
    'born-before-1960': [
      'Anne', 'Inger', 'Kari', 'Marit', 'Ingrid', 'Liv', 'Eva', 'Berit', 'Astrid', 'Bjørg', 'Solveig',
      'Randi', 'Gerd', 'Åse', 'Sølvi', 'Ragnhild', 'Gudrun', 'Målfrid', 'Aslaug', 'Dagny', 'Bodil', 'Jorunn',
      'Synnøve', 'Signe', 'Turid', 'Wenche',
    ],
    'born-1960-1994': [
      'Hilde', 'Marianne', 'Kristin', 'Elisabeth', 'Heidi', 'Silje', 'Hanne', 'Linda', 'Tone', 'Tove',
      'Elin', 'Anita', 'Camilla', 'Kjersti', 'Mette', 'Torunn', 'Ida', 'Nina', 'Maria', 'Bente', 'Grethe',
      'Sigrid', 'Ingeborg', 'Fatima', 'Åshild', 'Trine',
    ],
    'born-1995-or-later': [
      'Nora', 'Emma', 'Sofie', 'Olivia', 'Ella', 'Maja', 'Frøya', 'Sara', 'Amalie', 'Thea', 'Vilde', 'Tiril',
      'Ingrid', 'Leah', 'Astrid', 'Selma', 'Aurora', 'Hedda', 'Oda', 'Mathilde', 'Sigrid', 'Iben', 'Æsa',
      'Maryam', 'Sunniva', 'Live',
    ],
  },
  male: {
    'born-before-1960': [
      'Jan', 'Per', 'Bjørn', 'Ole', 'Kjell', 'Knut', 'Arne', 'Svein', 'Hans', 'Odd', 'Harald', 'Kåre', 'Åsmund',
      'Leif', 'Einar', 'Asbjørn', 'Torbjørn', 'Ivar', 'Nils', 'Olav', 'Sverre', 'Reidar', 'Ragnar', 'Gunnar',
      'Øivind', 'Halvor',
    ],
    'born-1960-1994': [
      'Geir', 'Tor', 'Morten', 'Terje', 'Thomas', 'Martin', 'Erik', 'Andreas', 'Jon', 'Rune', 'Anders', 'Trond',
      'Tore', 'John', 'Øyvind', 'Øystein', 'Pål', 'Stian', 'Ståle', 'Bård', 'Eirik', 'Steinar', 'Håkon',
      'Jørgen', 'Ahmad', 'Espen',
    ],
    'born-1995-or-later': [
      'Jakob', 'Emil', 'Noah', 'Oliver', 'William', 'Lucas', 'Filip', 'Aksel', 'Isak', 'Magnus', 'Henrik',
      'Sigurd', 'Håkon', 'Johannes', 'Mathias', 'Elias', 'Ludvig', 'Tobias', 'Sverre', 'Bjørn', 'Theodor',
      'Kasper', 'Mohammed', 'Storm', 'Ask', 'Brage',
    ],
  },
};

const FAMILY = [
  'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen', 'Karlsen',
  'Johnsen', 'Pettersen', 'Eriksen', 'Berg', 'Haugen', 'Hagen', 'Johannessen', 'Andreassen', 'Jacobsen', 'Dahl',
  'Jørgensen', 'Halvorsen', 'Henriksen', 'Lund', 'Sørensen', 'Jakobsen', 'Moen', 'Gundersen', 'Iversen', 'Strand',
  'Solberg', 'Svendsen', 'Eide', 'Knutsen', 'Martinsen', 'Paulsen', 'Bakken', 'Kristoffersen', 'Mathisen', 'Lie',
  'Amundsen', 'Nguyen', 'Rasmussen', 'Ali', 'Lunde', 'Solheim', 'Berge', 'Moe', 'Nygård', 'Bakke', 'Holm', 'Lien',
  'Hauge', 'Sæther', 'Aas', 'Myhre', 'Haugland', 'Sandvik', 'Rønning', 'Næss', 'Vik', 'Haug', 'Birkeland', 'Ruud',
  'Aasen', 'Åsen', 'Strøm', 'Myklebust', 'Ødegård', 'Bøe', 'Aune', 'Brekke', 'Håland', 'Løken', 'Østby', 'Ås',
  'Bråten', 'Sæbø', 'Mæland', 'Grønli', 'Kowalski', 'Ahmed', 'Hætta', 'Sara', 'Tveit', 'Fjeld', 'Nordmo',
];

const generationOf = (birthYear: number): Generation => {
  if (birthYear < 1960) {
    return 'born-before-1960';
  }
  return birthYear < 1995 ? 'born-1960-1994' : 'born-1995-or-later';
};

export interface PersonName {
  readonly given: readonly string[];
  readonly family: string;
}

/** A given name (a second one for about one in four, as Norwegians often have) and a family name. */
export const drawName = (random: Random, gender: 'male' | 'female', birthYear: number): PersonName => {
  const pool = GIVEN[gender][generationOf(birthYear)];
  const first = random.pick(pool);
  const given = [first];
  if (random.chance(0.25)) {
    const second = random.pick(pool);
    if (second !== first) {
      given.push(second);
    }
  }
  return { given, family: random.pick(FAMILY) };
};
