/** The error `act` throws; fails the test when it throws nothing. */
export function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('Expected an error, but nothing was thrown');
}
