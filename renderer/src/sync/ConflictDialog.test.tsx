import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithContract } from '../test/render-with-contract';
import { ConflictDialog } from './ConflictDialog';

const theirs = { resourceType: 'Flag', id: 'f1', meta: { versionId: '2' }, status: 'active', code: { text: 'Voldsrisiko' } };
const conflict = { id: 3, resourceType: 'Flag', resourceId: 'f1', mine: { ...theirs, status: 'inactive' }, theirs, createdAt: '2026-12-02T09:00:00.000Z' };

describe('the conflict dialog', () => {
  it('names its choices in English in the English locale and hands the decision to its owner', async () => {
    const onResolve = vi.fn(() => Promise.resolve());
    renderWithContract(<ConflictDialog conflict={conflict} onClose={() => undefined} onResolve={onResolve} />, {}, 'en');
    const dialog = await screen.findByRole('dialog', { name: 'Conflict: critical information (f1): Voldsrisiko' });
    expect(within(dialog).getByRole('button', { name: 'Keep mine' })).toBeDefined();
    expect(within(dialog).getByRole('button', { name: 'Merge' })).toBeDefined();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Use theirs' }));
    await waitFor(() => expect(onResolve).toHaveBeenCalledWith({ keep: 'theirs' }));
  });

  it('says the versions are the same when only meta differs, and still lets the clinician decide', async () => {
    const same = { ...conflict, mine: { ...theirs, meta: { versionId: '1' } } };
    renderWithContract(<ConflictDialog conflict={same} onClose={() => undefined} onResolve={() => Promise.resolve()} />, {});
    const dialog = await screen.findByRole('dialog', { name: 'Konflikt: kritisk informasjon (f1): Voldsrisiko' });
    // Nothing differs, so the full field list shows at once rather than an empty table.
    expect(within(dialog).getByRole<HTMLInputElement>('checkbox', { name: 'Vis bare forskjeller' }).checked).toBe(false);
    expect(within(dialog).getAllByText('Voldsrisiko')).toHaveLength(2);
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Vis bare forskjeller' }));
    expect(within(dialog).getByText('Versjonene har samme innhold.')).toBeDefined();
    expect(within(dialog).getByRole('button', { name: 'Behold min' })).toBeDefined();
  });
});
