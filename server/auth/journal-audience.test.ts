import { describe, expect, it } from 'vitest';
import { journalAudience } from './journal-audience';

describe('journalAudience', () => {
  it('is the origin: lower-case host, default port dropped, no path, query or user info', () => {
    expect(journalAudience('https://Journal.Example.Kommune.NO:443/fhir/')).toBe('https://journal.example.kommune.no');
    expect(journalAudience('https://journal.example.kommune.no')).toBe('https://journal.example.kommune.no');
    expect(journalAudience('http://127.0.0.1:80/fhir?x=1#y')).toBe('http://127.0.0.1');
    expect(journalAudience('https://user:secret@journal.example.no/')).toBe('https://journal.example.no');
  });

  it('keeps what tells deployments apart: scheme, host and a non-default port', () => {
    expect(journalAudience('http://127.0.0.1:8080/fhir')).toBe('http://127.0.0.1:8080');
    expect(journalAudience('https://journal.example.no:8443')).toBe('https://journal.example.no:8443');
    expect(journalAudience('http://journal.example.no')).not.toBe(journalAudience('https://journal.example.no'));
    expect(journalAudience('http://[::1]:8080/fhir')).toBe('http://[::1]:8080');
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => journalAudience('akson-journal')).toThrow(/Not a journal URL/);
    expect(() => journalAudience('file:///etc/passwd')).toThrow(/http\(s\)/);
  });
});
