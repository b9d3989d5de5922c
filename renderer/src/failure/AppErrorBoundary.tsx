import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { ContractClient } from '../contract/contract-client';
import { FailureScreen } from './FailureScreen';

/**
 * An uncaught render error shows the failure screen, never a white page. The error goes to
 * core's log as its type and stack only (core drops the message line; log.write takes no text).
 */
export class AppErrorBoundary extends Component<{ client: ContractClient; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    const stack = `${error.stack ?? ''}\n${info.componentStack ?? ''}`.slice(0, 8000);
    const name = /^[A-Za-z0-9_.:/#-]{1,100}$/.test(error.name) ? error.name : 'Error';
    this.props.client.call('log.write', { level: 'error', message: 'render failed', error: { name, stack } }).catch(() => undefined);
  }

  override render(): ReactNode {
    if (this.state.failed) {
      return <FailureScreen problems="render-error" onRetry={() => this.setState({ failed: false })} />;
    }
    return this.props.children;
  }
}
