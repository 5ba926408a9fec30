// A counter for the hottest paths. OpenTelemetry's Counter.add() hashes its attributes (sorting their keys and
// serialising them) on every call; on the credit check's stream that was two fifths of what answering a check
// allocated. A tally keeps plain numbers, one per attribute set named up front, and reports them through an observable
// counter when the metrics are read, so counting costs an addition.
import type { Attributes } from '@opentelemetry/api';
import { platformMeter } from './tracer.js';

export interface Tally<Series extends string> {
  add(series: Series, n?: number): void;
}

export function tally<Series extends string>(name: string, description: string, series: Record<Series, Attributes>): Tally<Series> {
  const names = Object.keys(series) as Series[];
  const counts = Object.fromEntries(names.map((s) => [s, 0])) as Record<Series, number>;
  let registered = false;
  // Registered on first use, not at import: the meter provider is installed by startTelemetry() in main.ts.
  const register = () => {
    registered = true;
    platformMeter()
      .createObservableCounter(name, { description })
      .addCallback((result) => {
        for (const s of names) result.observe(counts[s], series[s]);
      });
  };
  return {
    add(s, n = 1) {
      if (!registered) register();
      counts[s] += n;
    },
  };
}
