/**
 * The OpenTelemetry SDK as a host registers it at start-up, before `createRelay` (issue 25, item 5:
 * what the instrumentation costs): a context manager on AsyncLocalStorage, W3C propagation, a
 * MeterProvider whose periodic reader exports to memory every second (a host's default is 60 s:
 * collecting more often only adds cost), and a BasicTracerProvider whose BatchSpanProcessor, on
 * its defaults as a production host runs it (batches of 512, a queue of 2,048), exports to memory.
 * The bench's relay-instance.ts registers it when BENCH_TELEMETRY=memory.
 *
 * Memory stays bounded: every second what was exported is counted and dropped. The counts, read
 * by `GET /bench/telemetry`, show that the SDK recorded something: a row with an SDK that recorded
 * nothing would measure nothing. Spans the batch processor drops (its queue full) are counted from
 * its `Dropped N spans` warning, the only place it says so.
 */
import { context, diag, DiagLogLevel, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';

export interface TelemetryFigures {
  spansExported: number;
  spansDropped: number;
  /** Data points in every metric export so far (cumulative temporality: each export repeats them all). */
  metricPointsExported: number;
}

const EXPORT_INTERVAL_MS = 1000;

export function registerTelemetrySdk(): { figures: () => Promise<TelemetryFigures> } {
  const totals: TelemetryFigures = { spansExported: 0, spansDropped: 0, metricPointsExported: 0 };
  diag.setLogger(
    {
      error: (message) => console.error(`OpenTelemetry: ${message}`),
      warn: (message) => {
        const dropped = /^Dropped (\d+) spans/.exec(message);
        if (dropped) totals.spansDropped += Number(dropped[1]);
        else console.error(`OpenTelemetry: ${message}`);
      },
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  const spanExporter = new InMemorySpanExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const meterProvider = new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: EXPORT_INTERVAL_MS, exportTimeoutMillis: EXPORT_INTERVAL_MS })],
  });
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(spanExporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  metrics.setGlobalMeterProvider(meterProvider);
  trace.setGlobalTracerProvider(tracerProvider);

  const drain = (): void => {
    totals.spansExported += spanExporter.getFinishedSpans().length;
    spanExporter.reset();
    for (const exported of metricExporter.getMetrics()) {
      for (const scope of exported.scopeMetrics) for (const metric of scope.metrics) totals.metricPointsExported += metric.dataPoints.length;
    }
    metricExporter.reset();
  };
  setInterval(drain, EXPORT_INTERVAL_MS).unref();
  return {
    figures: async () => {
      await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
      drain();
      return { ...totals };
    },
  };
}
