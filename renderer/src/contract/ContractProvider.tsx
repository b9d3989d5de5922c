import { createContext, type ReactNode } from 'react';
import type { ContractClient } from './contract-client';

export const ContractContext = createContext<ContractClient | null>(null);

export function ContractProvider({ client, children }: { client: ContractClient; children: ReactNode }) {
  return <ContractContext.Provider value={client}>{children}</ContractContext.Provider>;
}
