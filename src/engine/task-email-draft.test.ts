import { describe, expect, it } from 'vitest';
import { checkDraft, draftFileText, draftSegments } from './task-email-draft.js';

const original = draftFileText({ subject: '[[subject]]Hello Aiko[[/subject]]', body: 'Dear Aiko,\n\n[[hook]]I saw your talk.[[/hook]]\n\n[[ask]]Shall we meet?[[/ask]]\n\nRegards,\nKen\n' }, ['Edit the regions only.']);

describe('checkDraft', () => {
  it('accepts changes inside regions, returning the email without markers', () => {
    const edited = original.replace('I saw your talk.', 'Your talk on 営業DX was great.\nTwo lines now.').replace('Hello Aiko', 'Aiko, a question');
    expect(checkDraft(original, edited, false)).toEqual({ ok: true, subject: 'Aiko, a question', body: 'Dear Aiko,\n\nYour talk on 営業DX was great.\nTwo lines now.\n\nShall we meet?\n\nRegards,\nKen\n', marked: expect.any(String) });
  });

  it('ignores CRLF line ends and a missing last newline from the editor', () => {
    expect(checkDraft(original, original.replace(/\n/g, '\r\n').trimEnd(), false).ok).toBe(true);
  });

  it('names where locked text changed: before, between or after regions, with its line', () => {
    const edited = original.replace('Dear Aiko,', 'Hi Aiko,');
    // The line in the file the rep edits (its '#' heading counted), where their editor puts them.
    expect(checkDraft(original, edited, false)).toMatchObject({ ok: false, code: 'DRAFT_LOCKED_TEXT', region: 'hook', line: 4 });
    expect(edited.split('\n')[4 - 1]).toBe('Hi Aiko,');
    expect(checkDraft(original, original.replace('Dear Aiko,', 'Hi Aiko,'), false)).toMatchObject({ message: expect.stringContaining('between regions "subject" and "hook"') });
    expect(checkDraft(original, original.replace('Regards,', 'Cheers,'), false)).toMatchObject({ code: 'DRAFT_LOCKED_TEXT', region: 'ask', message: expect.stringContaining('after region "ask"') });
    expect(checkDraft(original, original.replace('Subject: ', 'Subject: Re: '), false)).toMatchObject({ code: 'DRAFT_LOCKED_TEXT', message: expect.stringContaining('before region "subject"') });
  });

  it('refuses removed or renamed markers, and accepts anything in full edit', () => {
    expect(checkDraft(original, original.replace('[[/hook]]', ''), false)).toMatchObject({ ok: false, code: 'DRAFT_REGIONS_CHANGED', region: 'hook' });
    expect(checkDraft(original, original.replace(/hook/g, 'opening'), false)).toMatchObject({ ok: false, code: 'DRAFT_REGIONS_CHANGED' });
    const rewritten = 'Subject: Something else\n\nA whole new email.\n';
    expect(checkDraft(original, rewritten, true)).toMatchObject({ ok: true, subject: 'Something else', body: 'A whole new email.\n' });
    expect(checkDraft(original, 'no subject line\n', true)).toMatchObject({ ok: false, code: 'DRAFT_BAD_SUBJECT' });
  });

  it('splits marked text into locked text and regions', () => {
    expect(draftSegments('a[[x]]b[[/x]]c')).toEqual([{ kind: 'locked', text: 'a' }, { kind: 'region', name: 'x', text: 'b' }, { kind: 'locked', text: 'c' }]);
    expect(draftSegments('a[[x]]b[[/y]]c')).toBeUndefined();
  });
});
