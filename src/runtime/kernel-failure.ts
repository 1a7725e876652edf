// What a failure of the kernel side says to the user, for front ends that must not know the
// kernel layer's error types: one sentence, and a hint where the cause is usually the same.
import { isPrivilegeRefusal, KernelError, PRIVILEGES_NEEDED } from '../kernel/errors.js';

/** The text of `e` when the kernel refused something; undefined for any other error. */
export function kernelFailureText(e: unknown): string | undefined {
  if (!(e instanceof KernelError)) return undefined;
  // Whichever step was refused first, the user needs one sentence: what to run bpfql with.
  if (isPrivilegeRefusal(e)) return `${PRIVILEGES_NEEDED}.`;
  return `${e.message}${e.hint ? `\nhint: ${e.hint}` : ''}`;
}
