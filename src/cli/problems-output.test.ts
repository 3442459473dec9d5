import { describe, expect, it } from 'vitest';
import type { Problem } from '../workspace/problems.js';
import { formatProblemsGithub, formatProblemsText } from './problems-output.js';

const problem: Problem = {
  severity: 'error',
  code: 'SEQ_UNKNOWN_TEMPLATE',
  message: 'step "followup" uses template "inbound-folowup", which does not exist',
  file: 'sequences/inbound-8day.yaml',
  line: 14,
  column: 15,
  hint: 'did you mean "inbound-followup"? (templates/inbound-followup.yaml)',
};

describe('problem output', () => {
  it('reads as code, position, message and hint in text', () => {
    expect(formatProblemsText([problem], '/ws', '/ws')).toBe(
      'error SEQ_UNKNOWN_TEMPLATE  sequences/inbound-8day.yaml:14:15\n' +
        '  step "followup" uses template "inbound-folowup", which does not exist\n' +
        '  hint: did you mean "inbound-followup"? (templates/inbound-followup.yaml)\n',
    );
  });

  it('names files relative to where the command ran', () => {
    expect(formatProblemsText([problem], '/repo/sales', '/repo')).toContain('sales/sequences/inbound-8day.yaml:14:15');
  });

  it('escapes GitHub workflow command data and properties', () => {
    const tricky: Problem = { ...problem, severity: 'warning', file: 'templates/a,b.yaml', message: '100% sure:\nsecond line', hint: undefined as never };
    delete (tricky as { hint?: string }).hint;
    expect(formatProblemsGithub([problem, tricky], '/ws', '/ws')).toBe(
      '::error file=sequences/inbound-8day.yaml,line=14,col=15,title=SEQ_UNKNOWN_TEMPLATE::' +
        'step "followup" uses template "inbound-folowup", which does not exist%0Adid you mean "inbound-followup"? (templates/inbound-followup.yaml)\n' +
        '::warning file=templates/a%2Cb.yaml,line=14,col=15,title=SEQ_UNKNOWN_TEMPLATE::100%25 sure:%0Asecond line\n',
    );
  });

  it('leaves out the position of a problem about a whole file', () => {
    const whole: Problem = { severity: 'error', code: 'FILE_ENCODING', message: 'templates/x.yaml is not UTF-8', file: 'templates/x.yaml' };
    expect(formatProblemsGithub([whole], '/ws', '/ws')).toBe('::error file=templates/x.yaml,title=FILE_ENCODING::templates/x.yaml is not UTF-8\n');
    expect(formatProblemsText([whole], '/ws', '/ws')).toContain('error FILE_ENCODING  templates/x.yaml\n');
  });
});
