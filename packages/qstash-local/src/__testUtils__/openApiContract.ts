import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** Repository root: this file is at packages/qstash-local/src/__testUtils__. */
const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** The official OpenAPI files live beside the repository, in shared/reference/upstash. */
export const REFERENCE_DIR = path.resolve(
  REPO_ROOT,
  '../shared/reference/upstash',
);

export const SPEC_FILES = {
  qstash: 'qstash-openapi.yaml',
  workflow: 'workflow-openapi.yaml',
} as const;

export type SpecName = keyof typeof SPEC_FILES;

export function referenceAvailable(): boolean {
  return Object.values(SPEC_FILES).every(file =>
    fs.existsSync(path.join(REFERENCE_DIR, file)),
  );
}

/** JSON pointer segment escaping (`/` -> `~1`). */
function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Validates response bodies against the schemas of the official OpenAPI
 * files. Each file is registered whole, so `#/components/schemas/...` refs
 * resolve inside it.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly specs = {} as Record<SpecName, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML documents

  constructor() {
    addFormats(this.ajv);
    // OpenAPI number formats; they carry no constraint JSON Schema can check.
    for (const format of [
      'int32',
      'int64',
      'float',
      'double',
      'byte',
      'binary',
    ]) {
      this.ajv.addFormat(format, true);
    }
    for (const [name, file] of Object.entries(SPEC_FILES) as Array<
      [SpecName, string]
    >) {
      const document = parse(
        fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8'),
      );
      this.specs[name] = document;
      this.ajv.addSchema(document, name);
    }
  }

  /** Every operation of a spec: its path template and lower-case method. */
  operations(spec: SpecName): Array<{ route: string; method: string }> {
    const methods = ['get', 'post', 'put', 'patch', 'delete'];
    return Object.entries(this.specs[spec].paths ?? {}).flatMap(
      ([route, item]) =>
        Object.keys(item as object)
          .filter(method => methods.includes(method))
          .map(method => ({ route, method })),
    );
  }

  /** Whether the spec documents this operation and status. */
  has(spec: SpecName, route: string, method: string, status: number): boolean {
    return Boolean(
      this.specs[spec].paths?.[route]?.[method]?.responses?.[String(status)],
    );
  }

  /** Errors of `body` against a response schema; empty when valid. */
  responseErrors(
    spec: SpecName,
    route: string,
    method: string,
    status: number,
    body: unknown,
  ): string[] {
    const response =
      this.specs[spec].paths?.[route]?.[method]?.responses?.[String(status)];
    if (!response) {
      return [
        `${spec} has no ${method.toUpperCase()} ${route} response ${status}`,
      ];
    }
    // The spec documents no body here, so there is nothing to check it against.
    if (!response.content) return [];
    const ref = `${spec}#/paths/${pointer(
      route,
    )}/${method}/responses/${status}/content/application~1json/schema`;
    return this.errorsFor(ref, body);
  }

  /** Errors of `body` against `#/components/schemas/<name>`. */
  componentErrors(spec: SpecName, name: string, body: unknown): string[] {
    return this.errorsFor(`${spec}#/components/schemas/${name}`, body);
  }

  /** Errors of `body` against an inline schema that may `$ref` a spec. */
  schemaErrors(schema: object, body: unknown): string[] {
    const validate = this.ajv.compile(schema);
    return validate(body)
      ? []
      : (validate.errors ?? []).map(
          e => `${e.instancePath || '/'} ${e.message}`,
        );
  }

  private errorsFor(ref: string, body: unknown): string[] {
    const validate = this.ajv.getSchema(ref) ?? this.ajv.compile({ $ref: ref });
    return validate(body)
      ? []
      : (validate.errors ?? []).map(
          e => `${e.instancePath || '/'} ${e.message}`,
        );
  }
}
