/**
 * What the service exports its telemetry through (issue 25, item 2). The relay itself records
 * through `@opentelemetry/api` as it does for any host's SDK; the service registers that SDK:
 *
 * - `RELAY_METRICS=prometheus`: a MeterProvider whose reader is the Prometheus exporter, and the
 *   admin listener serves what it collects at `/metrics`;
 * - `RELAY_OPENTELEMETRY=sdk`: OpenTelemetry's Node SDK, configured by the standard `OTEL_*`
 *   variables (OTLP to the shop's collector); with both, the SDK's metrics are read at `/metrics`
 *   (its only metric reader, in place of `OTEL_METRICS_EXPORTER`) and its traces go by
 *   `OTEL_TRACES_EXPORTER`.
 *
 * The packages are optional peers, loaded only when asked for. The resource (Prometheus'
 * `target_info`, OTLP's resource) names the service `k360-verify-relay` unless `OTEL_SERVICE_NAME`
 * or `OTEL_RESOURCE_ATTRIBUTES` say otherwise.
 *
 * Registered globally, before the relay is made (a meter taken earlier stays a no-op). When the
 * process already has a provider (an SDK started with `--import`), start-up stops: the relay's
 * telemetry goes to that SDK, so a second one here would export nothing.
 */
import type * as OpenTelemetry from '@opentelemetry/api';
import type * as PrometheusModule from '@opentelemetry/exporter-prometheus';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkMetrics from '@opentelemetry/sdk-metrics';
import type * as SdkNode from '@opentelemetry/sdk-node';

/** In constants, so bundlers leave the optional imports alone. */
const OPENTELEMETRY_API = '@opentelemetry/api';
const SDK_METRICS = '@opentelemetry/sdk-metrics';
const RESOURCES = '@opentelemetry/resources';
const EXPORTER_PROMETHEUS = '@opentelemetry/exporter-prometheus';
const SDK_NODE = '@opentelemetry/sdk-node';

/** What `RELAY_METRICS=prometheus` needs installed next to the relay. */
export const PROMETHEUS_PACKAGES = [OPENTELEMETRY_API, SDK_METRICS, RESOURCES, EXPORTER_PROMETHEUS] as const;
/** What `RELAY_OPENTELEMETRY=sdk` needs installed next to the relay. */
export const SDK_PACKAGES = [OPENTELEMETRY_API, SDK_NODE] as const;

/** The resource's name when the environment gives none. */
export const DEFAULT_SERVICE_NAME = 'k360-verify-relay';

export interface ServiceTelemetry {
  /** With `RELAY_METRICS=prometheus`: everything recorded so far, in Prometheus' text format; `failed`: observations that could not be collected. */
  scrape?(): Promise<{ text: string; failed: number }>;
  /** Flushes what is pending, unregisters the providers and shuts them down (the service's stop). */
  close(): Promise<void>;
}

export async function startServiceTelemetry(options: { metrics: 'none' | 'prometheus'; opentelemetry: 'none' | 'sdk' }): Promise<ServiceTelemetry | undefined> {
  if (options.metrics === 'none' && options.opentelemetry === 'none') return undefined;
  const variable = options.opentelemetry === 'sdk' ? 'RELAY_OPENTELEMETRY=sdk' : 'RELAY_METRICS=prometheus';
  const names = [...new Set<string>([...(options.opentelemetry === 'sdk' ? SDK_PACKAGES : []), ...(options.metrics === 'prometheus' ? PROMETHEUS_PACKAGES : [])])];
  const loaded = await loadPackages(variable, names);
  const api = exportsOf<typeof OpenTelemetry>(variable, loaded, OPENTELEMETRY_API, 'metrics');
  refuseSecondProvider(api, variable);

  const prometheus = options.metrics === 'prometheus' ? exportsOf<typeof PrometheusModule>(variable, loaded, EXPORTER_PROMETHEUS, 'PrometheusExporter') : undefined;
  // The exporter's own options: no prefix, no timestamps, scope labels and target_info kept.
  const exporter = prometheus && new prometheus.PrometheusExporter({ preventServerStart: true });
  const scrape = exporter && prometheus ? scraperOf(exporter, new prometheus.PrometheusSerializer()) : undefined;

  if (options.opentelemetry === 'sdk') {
    const { NodeSDK, resources } = exportsOf<typeof SdkNode>(variable, loaded, SDK_NODE, 'NodeSDK');
    // No instrumentations: the relay records its own HTTP in and out. The environment's service name and
    // attributes win over this resource. With Prometheus, its exporter is the SDK's only metric reader.
    const sdk = new NodeSDK({ resource: resources.defaultResource().merge(resources.resourceFromAttributes({ 'service.name': DEFAULT_SERVICE_NAME })), instrumentations: [], ...(exporter ? { metricReaders: [exporter] } : {}) });
    sdk.start();
    return {
      ...(scrape ? { scrape } : {}),
      async close() {
        await sdk.shutdown();
        // Its shutdown leaves the providers registered: give them back, as the Prometheus-only path does.
        api.metrics.disable();
        api.trace.disable();
        api.propagation.disable();
        api.context.disable();
      },
    };
  }

  const sdk = exportsOf<typeof SdkMetrics>(variable, loaded, SDK_METRICS, 'MeterProvider');
  const resources = exportsOf<typeof Resources>(variable, loaded, RESOURCES, 'envDetector');
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': DEFAULT_SERVICE_NAME }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new sdk.MeterProvider({ resource, readers: exporter ? [exporter] : [] });
  if (!api.metrics.setGlobalMeterProvider(provider)) {
    await provider.shutdown();
    refuseSecondProvider(api, variable);
  }
  return {
    ...(scrape ? { scrape } : {}),
    async close() {
      api.metrics.disable();
      await provider.shutdown();
    },
  };
}

function scraperOf(exporter: PrometheusModule.PrometheusExporter, serializer: PrometheusModule.PrometheusSerializer): NonNullable<ServiceTelemetry['scrape']> {
  return async () => {
    const { resourceMetrics, errors } = await exporter.collect();
    return { text: serializer.serialize(resourceMetrics), failed: errors.length };
  };
}

/** A provider registered already (an SDK started with `--import`) gets the relay's telemetry: a second one here would stay empty. */
function refuseSecondProvider(api: typeof OpenTelemetry, variable: string): void {
  const meters = api.metrics.getMeterProvider();
  const tracers = api.trace.getTracerProvider() as OpenTelemetry.TracerProvider & { getDelegate?: () => OpenTelemetry.TracerProvider };
  const tracing = tracers.getDelegate?.() ?? tracers;
  if (meters.constructor.name !== 'NoopMeterProvider' || (variable === 'RELAY_OPENTELEMETRY=sdk' && tracing.constructor.name !== 'NoopTracerProvider')) {
    throw new Error(
      `${variable}, but this process already has an OpenTelemetry ${meters.constructor.name !== 'NoopMeterProvider' ? 'MeterProvider' : 'TracerProvider'} (an SDK started with --import?): the relay records into it. Export through that SDK and leave RELAY_METRICS and RELAY_OPENTELEMETRY unset, or start without it.`,
    );
  }
}

type Loaded = Map<string, Record<string, unknown>>;

/** The packages, or one error that names every one missing and the command that installs them. */
async function loadPackages(variable: string, names: readonly string[]): Promise<Loaded> {
  const results = await Promise.allSettled(names.map((name) => import(/* webpackIgnore: true */ /* @vite-ignore */ name) as Promise<Record<string, unknown>>));
  const missing = names.filter((name, index) => {
    const result = results[index]!;
    return result.status === 'rejected' && isNotFound(result.reason, name);
  });
  if (missing.length > 0) throw new Error(`${variable} needs ${missing.join(', ')}, not installed: npm install ${names.join(' ')}`);
  const failed = results.findIndex((result) => result.status === 'rejected');
  if (failed >= 0) {
    const reason = (results[failed] as PromiseRejectedResult).reason;
    throw new Error(`${variable}: ${names[failed]} could not be loaded (${reason instanceof Error ? reason.message : String(reason)})`);
  }
  return new Map(names.map((name, index) => [name, (results[index] as PromiseFulfilledResult<Record<string, unknown>>).value]));
}

/** A CommonJS package's exports come as named exports or under `default`, depending on the loader. */
function exportsOf<Module>(variable: string, loaded: Loaded, name: string, expected: string): Module {
  const namespace = loaded.get(name);
  if (namespace !== undefined && expected in namespace) return namespace as Module;
  const fallback = namespace?.default as Record<string, unknown> | undefined;
  if (fallback !== undefined && expected in fallback) return fallback as Module;
  throw new Error(`${variable}: the installed ${name} exports no ${expected}; install the versions the relay names in its peerDependencies`);
}

/** The package itself is absent (not one of its own imports failing). */
function isNotFound(error: unknown, name: string): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // Node quotes the name it looked for: a package that is present but lacks one of its own dependencies names that one.
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && error instanceof Error && error.message.includes(`'${name}'`);
}
