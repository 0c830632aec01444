/**
 * Metrics without a collector (issue 25): with `RELAY_METRICS=prometheus` the service registers an
 * OpenTelemetry MeterProvider whose only reader is the Prometheus exporter, and the admin listener
 * serves what it collects at `/metrics`. The SDK and the exporter are optional peers, loaded only
 * then; the relay itself records through `@opentelemetry/api` as it does for any host's SDK.
 *
 * The provider is registered globally, before the relay is made (a meter taken earlier stays a
 * no-op). When the process already has one (an SDK started with `--import`), start-up stops: the
 * relay's metrics go to that SDK, so a second exporter here would serve an empty page.
 */
import type * as OpenTelemetry from '@opentelemetry/api';
import type * as PrometheusModule from '@opentelemetry/exporter-prometheus';
import type * as SdkMetrics from '@opentelemetry/sdk-metrics';

/** In constants, so bundlers leave the optional imports alone. */
const OPENTELEMETRY_API = '@opentelemetry/api';
const SDK_METRICS = '@opentelemetry/sdk-metrics';
const EXPORTER_PROMETHEUS = '@opentelemetry/exporter-prometheus';

/** What `RELAY_METRICS=prometheus` needs installed next to the relay. */
export const PROMETHEUS_PACKAGES = [OPENTELEMETRY_API, SDK_METRICS, EXPORTER_PROMETHEUS] as const;

export interface PrometheusMetrics {
  /** Everything recorded so far, in Prometheus' text format; `failed`: observations that could not be collected. */
  scrape(): Promise<{ text: string; failed: number }>;
  /** Unregisters the provider and shuts it down (the service's stop). */
  close(): Promise<void>;
}

export async function startPrometheusMetrics(): Promise<PrometheusMetrics> {
  const [api, sdk, prometheus] = await loadPackages();
  const exporter = new prometheus.PrometheusExporter({ preventServerStart: true });
  const provider = new sdk.MeterProvider({ readers: [exporter] });
  if (!api.metrics.setGlobalMeterProvider(provider)) {
    await provider.shutdown();
    throw new Error(
      'RELAY_METRICS=prometheus, but this process already has an OpenTelemetry MeterProvider (an SDK started with --import?): the relay records into it. Export through that SDK and leave RELAY_METRICS unset, or start without it.',
    );
  }
  // The exporter's own options: no prefix, no timestamps, scope labels and target_info kept.
  const serializer = new prometheus.PrometheusSerializer();
  return {
    async scrape() {
      const { resourceMetrics, errors } = await exporter.collect();
      return { text: serializer.serialize(resourceMetrics), failed: errors.length };
    },
    async close() {
      api.metrics.disable();
      await provider.shutdown();
    },
  };
}

type Loaded = [typeof OpenTelemetry, typeof SdkMetrics, typeof PrometheusModule];

/** The three packages, or one error that names every one missing and the command that installs them. */
async function loadPackages(): Promise<Loaded> {
  const results = await Promise.allSettled(PROMETHEUS_PACKAGES.map((name) => import(/* webpackIgnore: true */ /* @vite-ignore */ name)));
  const missing = PROMETHEUS_PACKAGES.filter((_, index) => {
    const result = results[index]!;
    return result.status === 'rejected' && isNotFound(result.reason, PROMETHEUS_PACKAGES[index]!);
  });
  if (missing.length > 0) {
    throw new Error(`RELAY_METRICS=prometheus needs ${missing.join(', ')}, not installed: npm install ${PROMETHEUS_PACKAGES.join(' ')}`);
  }
  const failed = results.findIndex((result) => result.status === 'rejected');
  if (failed >= 0) {
    const reason = (results[failed] as PromiseRejectedResult).reason;
    throw new Error(`RELAY_METRICS=prometheus: ${PROMETHEUS_PACKAGES[failed]} could not be loaded (${reason instanceof Error ? reason.message : String(reason)})`);
  }
  const [api, sdk, prometheus] = results.map((result) => (result as PromiseFulfilledResult<Record<string, unknown>>).value);
  return [exportsOf(api!, 'metrics'), exportsOf(sdk!, 'MeterProvider'), exportsOf(prometheus!, 'PrometheusExporter')] as Loaded;
}

/** A CommonJS package's exports come as named exports or under `default`, depending on the loader. */
function exportsOf(namespace: Record<string, unknown>, expected: string): unknown {
  if (expected in namespace) return namespace;
  const fallback = namespace.default as Record<string, unknown> | undefined;
  if (fallback !== undefined && expected in fallback) return fallback;
  throw new Error(`RELAY_METRICS=prometheus: the installed package exports no ${expected}; install the versions the relay names in its peerDependencies`);
}

/** The package itself is absent (not one of its own imports failing). */
function isNotFound(error: unknown, name: string): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // Node quotes the name it looked for: a package that is present but lacks one of its own dependencies names that one.
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && error instanceof Error && error.message.includes(`'${name}'`);
}
