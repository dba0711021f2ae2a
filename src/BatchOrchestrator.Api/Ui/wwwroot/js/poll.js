// Refreshing a page while something runs: one loop per view, stopped by the view's AbortSignal
// when the user navigates away, so no timer outlives its page.

/** Resolves after ms, or at once when the signal aborts. */
export function pause(ms, signal) {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * Calls step() every ms until it returns false or the signal aborts. A failing step is reported
 * through onError and the loop carries on (a server restart should not freeze the page).
 */
export async function every(ms, signal, step, onError) {
  while (!signal.aborted) {
    let again = true;
    try {
      again = (await step()) !== false;
    } catch (error) {
      if (signal.aborted) return;
      onError?.(error);
    }
    if (!again) return;
    await pause(ms, signal);
  }
}
