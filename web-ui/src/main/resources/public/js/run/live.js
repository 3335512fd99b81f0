// Live progress of one run without the DOM: events from the run's stream can overtake a detail request, and
// statuses only move forward, so the furthest status (and progress) seen wins.

/** 0 for pending or queued, 1 for running, 2 for any final status. */
export function rank(status) {
  if (!status || status === 'PENDING' || status === 'QUEUED') return 0;
  return status === 'RUNNING' ? 1 : 2;
}

/** What the stream has told so far: {run: {status, progress}, steps: Map index → {status, progress}}. */
export function createLive() {
  return {run: {status: null, progress: 0}, steps: new Map()};
}

/** Notes a `run` event ({status?, progress?}); returns whether it moved the run's status forward. */
export function noteRun(live, event) {
  const before = live.run.status;
  if (event.status && rank(event.status) >= rank(live.run.status)) live.run.status = event.status;
  if (event.progress !== undefined) live.run.progress = Math.max(live.run.progress, event.progress);
  return live.run.status !== before;
}

/** Notes a `step` event ({step, status?, progress?}); returns the step's live state. */
export function noteStep(live, event) {
  const step = live.steps.get(event.step) || {status: 'PENDING', progress: 0};
  if (event.status && rank(event.status) >= rank(step.status)) step.status = event.status;
  if (event.progress !== undefined) step.progress = Math.max(step.progress, event.progress);
  live.steps.set(event.step, step);
  return step;
}

const isFinal = (status) => rank(status) === 2;

/** A run detail (`next`, changed in place) with the live statuses and progress that are further along. */
export function mergeLive(live, next) {
  for (const st of next.steps) {
    const seen = live.steps.get(st.index);
    if (!seen) continue;
    if (rank(seen.status) > rank(st.status)) st.status = seen.status;
    if (st.status === 'RUNNING' && seen.progress > st.progress) st.progress = seen.progress;
  }
  if (rank(live.run.status) > rank(next.run.status)) next.run.status = live.run.status;
  if (!isFinal(next.run.status) && live.run.progress > next.run.progress) next.run.progress = live.run.progress;
  return next;
}
