import { isCadenceError } from '../../src/errors.js';

/** The code a call fails with (a CadenceError's code, else the error's name), or undefined when it does not fail. */
export function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isCadenceError(error) ? error.code : (error as Error).name;
  }
  return undefined;
}
