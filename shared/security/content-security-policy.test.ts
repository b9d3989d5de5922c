import { CspEvaluator, CspParser, Version, severities } from '@doyensec/csp-evaluator';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';

describe('renderer Content-Security-Policy', () => {
  it("has no finding from Google's csp-evaluator beyond the reviewed note on 'self'", () => {
    const findings = new CspEvaluator(new CspParser(CONTENT_SECURITY_POLICY).csp, Version.CSP3).evaluate();
    const serious = findings.filter((finding) => finding.severity < severities.MEDIUM_MAYBE);
    expect(serious).toEqual([]);
    expect(findings.map((finding) => `${finding.directive}: ${finding.value}`)).toEqual(["script-src: 'self'"]);
  });

  it('forbids inline and evaluated script, plugins, framing and base rewriting', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((part) => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
});
