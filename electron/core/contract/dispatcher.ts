import type { z } from 'zod';
import {
  ContractError,
  calls,
  fail,
  isCallName,
  ok,
  type CallInput,
  type CallName,
  type CallOutput,
  type Result,
} from '../../../shared/contract';
import { withCorrelation, type Logger } from '../logging/logger';

/** One implementation per contract call. A missing or mistyped handler fails the type-check. */
export type CallHandlers = {
  [N in CallName]: (input: z.output<(typeof calls)[N]['input']>) => Promise<CallOutput<N>> | CallOutput<N>;
};

/** The single entry both transports use: untrusted name and input in, a Result out, never a throw. */
export type Dispatch = (call: unknown, input: unknown) => Promise<Result<unknown>>;

/**
 * Describe what was wrong with an input by path and issue code only: the values themselves may be
 * patient data and must not travel into logs or error texts.
 */
export const describeIssues = (issues: readonly z.core.$ZodIssue[]): string =>
  issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.code}`)
    .join('; ');

export const createDispatcher = (handlers: CallHandlers, log: Logger): Dispatch => {
  const run = async <N extends CallName>(name: N, input: unknown, callLog: Logger): Promise<Result<CallOutput<N>>> => {
    const spec = calls[name];
    const parsedInput = spec.input.safeParse(input);
    if (!parsedInput.success) {
      callLog.warn({ call: name }, 'contract call refused: input does not match schema');
      return fail('INVALID_INPUT', `Input for ${name} is invalid: ${describeIssues(parsedInput.error.issues)}`);
    }
    const handler = handlers[name] as (input: CallInput<N>) => Promise<CallOutput<N>> | CallOutput<N>;
    let value: unknown;
    try {
      value = await handler(parsedInput.data as CallInput<N>);
    } catch (error) {
      if (error instanceof ContractError) {
        return { ok: false, error: error.toValue() };
      }
      // The message of an unexpected error may quote data; log its type only, answer generically.
      callLog.error({ call: name, errorType: error instanceof Error ? error.name : typeof error }, 'contract call failed');
      return fail('INTERNAL', `${name} failed inside the workstation.`);
    }
    const parsedOutput = spec.output.safeParse(value);
    if (!parsedOutput.success) {
      callLog.error({ call: name, issues: describeIssues(parsedOutput.error.issues) }, 'handler output off contract');
      return fail('INTERNAL', `${name} produced an answer outside the contract.`);
    }
    return ok(parsedOutput.data as CallOutput<N>);
  };

  return async (call, input) => {
    if (!isCallName(call)) {
      log.warn({ callType: typeof call }, 'contract call refused: unknown call');
      return fail('UNKNOWN_CALL', 'No such call in the contract.');
    }
    // Every line about this call carries one correlation id.
    return run(call, input, withCorrelation(log));
  };
};
