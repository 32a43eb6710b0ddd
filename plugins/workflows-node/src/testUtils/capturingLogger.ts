import {
  coreServices,
  createServiceFactory,
  RootLoggerService,
} from '@backstage/backend-plugin-api';

/**
 * A root logger that keeps every line any plugin or service logs, with its
 * metadata (errors with their message and stack), for tests that search
 * the logs for values that must never appear.
 */
export function capturingRootLogger(lines: string[]) {
  const create = (fields: Record<string, unknown>): RootLoggerService => {
    const write =
      (level: string) =>
      (message: string, meta?: Error | Record<string, unknown>) => {
        // An error's message and stack are not enumerable: named explicitly.
        const extra =
          meta instanceof Error
            ? JSON.stringify(meta, Object.getOwnPropertyNames(meta))
            : JSON.stringify(meta ?? {});
        lines.push(`${level} ${JSON.stringify(fields)} ${message} ${extra}`);
      };
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: more => create({ ...fields, ...more }),
    };
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => create({}),
  });
}
