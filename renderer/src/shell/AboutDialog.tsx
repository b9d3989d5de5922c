import { Modal, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AppInfoCard } from '../app/AppInfoCard';
import { LiveClockCard } from '../app/LiveClockCard';

/** "Om Akson": the build and the live core clock, out of the clinician's way. */
export function AboutDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('shell.about')} size="xl" closeButtonProps={{ 'aria-label': t('chart.close') }}>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <AppInfoCard />
        <LiveClockCard />
      </SimpleGrid>
    </Modal>
  );
}
