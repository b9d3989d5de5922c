import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { writableResourceTypes } from '../../../shared/contract';

type Writable = (typeof writableResourceTypes)[number];
const isWritable = (type: string): type is Writable => (writableResourceTypes as readonly string[]).includes(type);

/** "allergi/intoleranse (a1)": a resource named in the clinician's words, its id for support. */
export const useResourceLabel = (): ((resourceType: string, resourceId: string) => string) => {
  const { t } = useTranslation();
  return useCallback(
    (resourceType: string, resourceId: string) => `${isWritable(resourceType) ? t(`syncCenter.resourceType.${resourceType}`) : resourceType} (${resourceId})`,
    [t],
  );
};
