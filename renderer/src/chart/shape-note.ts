import { arr, concept, obj, reference, str, type Json } from '../patient/fhir-read';
import { narrativeParagraphs } from './shape-chart';

export interface NoteDetails {
  title: string;
  date: string | undefined;
  status: string | undefined;
  authors: string[];
  custodian: string | undefined;
  sections: { title: string; paragraphs: string[] }[];
  /** A correction or the note this one corrects (relatesTo), as `Type/id`. */
  relatesTo: { code: string; target: string }[];
}

/** One note, encounter or document as the reader in the centre shows it; text only, never markup. */
export const noteDetails = (resource: Json): NoteDetails => {
  const type = resource.resourceType;
  if (type === 'Encounter') {
    const period = obj(resource.period);
    return {
      title: concept(arr(resource.type)[0]).text ?? '?',
      date: str(period?.start, 40),
      status: str(resource.status, 30),
      authors: arr(resource.participant).map((p) => reference(obj(p)?.individual).display).filter((d): d is string => d !== undefined),
      custodian: reference(resource.serviceProvider).display,
      sections: [
        { title: '', paragraphs: [...arr(resource.reasonCode).map((r) => concept(r).text), ...arr(resource.diagnosis).map((d) => reference(obj(d)?.condition).display)].filter((p): p is string => p !== undefined) },
      ].filter((s) => s.paragraphs.length > 0),
      relatesTo: [],
    };
  }
  if (type === 'DocumentReference') {
    const attachments = arr(resource.content).map((c) => obj(obj(c)?.attachment));
    return {
      title: str(resource.description, 300) ?? concept(resource.type).text ?? '?',
      date: str(resource.date, 40),
      status: str(resource.docStatus, 30) ?? str(resource.status, 30),
      authors: arr(resource.author).map((a) => reference(a).display).filter((d): d is string => d !== undefined),
      custodian: reference(resource.custodian).display,
      sections: attachments.map((a) => ({ title: str(a?.title, 200) ?? '', paragraphs: [str(a?.url, 300)].filter((p): p is string => p !== undefined) })).filter((s) => s.title || s.paragraphs.length > 0),
      relatesTo: arr(resource.relatesTo).map((r) => ({ code: str(obj(r)?.code, 30) ?? '', target: reference(obj(r)?.target).type ? `${reference(obj(r)?.target).type}/${reference(obj(r)?.target).id}` : '' })).filter((r) => r.target),
    };
  }
  return {
    title: str(resource.title, 300) ?? concept(resource.type).text ?? '?',
    date: str(resource.date, 40),
    status: str(resource.status, 30),
    authors: arr(resource.author).map((a) => reference(a).display).filter((d): d is string => d !== undefined),
    custodian: reference(resource.custodian).display,
    sections: arr(resource.section)
      .map(obj)
      .filter((s): s is Json => s !== undefined)
      .map((s) => ({ title: str(s.title, 200) ?? concept(s.code).text ?? '', paragraphs: narrativeParagraphs(obj(s.text)?.div) })),
    relatesTo: arr(resource.relatesTo).map((r) => {
      const target = reference(obj(r)?.targetReference);
      return { code: str(obj(r)?.code, 30) ?? '', target: target.type && target.id ? `${target.type}/${target.id}` : '' };
    }).filter((r) => r.target),
  };
};
