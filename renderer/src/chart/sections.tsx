import type { ComponentType } from 'react';
import { CriticalInfoSection } from './CriticalInfoSection';
import { LabResultsSection } from './LabResultsSection';
import { MedicationsSection } from './MedicationsSection';
import { ProblemListSection } from './ProblemListSection';
import type { ChartModel } from './shape-chart';

/**
 * The context column of the chart, configured rather than hard-wired (as Medplum's section
 * configs): each section reads its part of the one shaped ChartModel.
 */
export const contextSections: readonly { id: string; component: ComponentType<{ model: ChartModel }> }[] = [
  { id: 'critical', component: CriticalInfoSection },
  { id: 'problems', component: ProblemListSection },
  { id: 'medications', component: MedicationsSection },
  { id: 'labs', component: LabResultsSection },
];
