import type { ComponentType } from 'react';
import { CriticalInfoSection } from './CriticalInfoSection';
import type { SyncState } from './JournalTimeline';
import { LabResultsSection } from './LabResultsSection';
import { MedicationsSection } from './MedicationsSection';
import { ProblemListSection } from './ProblemListSection';
import type { ChartModel } from './shape-chart';

/** What every context section gets: the shaped chart, and for the sections the GP edits, where each change stands. */
export interface ContextSectionProps {
  model: ChartModel;
  patientId: string;
  /** 'Type/id' -> where a change made here stands (as the timeline's notes). */
  syncStates: ReadonlyMap<string, SyncState>;
  /** A change was saved here just now (its badge shows "waiting" until the journal has it). */
  onSaved: (key: string) => void;
}

/**
 * The context column of the chart, configured rather than hard-wired (as Medplum's section
 * configs): each section reads its part of the one shaped ChartModel.
 */
export const contextSections: readonly { id: string; component: ComponentType<ContextSectionProps> }[] = [
  { id: 'critical', component: CriticalInfoSection },
  { id: 'problems', component: ProblemListSection },
  { id: 'medications', component: MedicationsSection },
  { id: 'labs', component: LabResultsSection },
];
