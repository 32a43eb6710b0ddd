import { z } from 'zod';
import { Clock } from '../clock';
import { MessageConfig } from '../config/messageConfig';
import { isHttpUrl, parseMessageConfig } from '../config/parseMessageConfig';
import { badRequest, notFound } from '../errors';
import { IDENTIFIER_PATTERN, isIdentifier } from '../ids';
import { Stores } from '../store/stores';
import { StoredUrlGroup, UrlGroupEndpoint } from '../store/urlGroupStore';

const endpointName = z
  .string({ invalid_type_error: 'must be a string' })
  .regex(IDENTIFIER_PATTERN, 'must match [A-Za-z0-9._-]+');
const endpointUrl = z
  .string({
    required_error: 'is required',
    invalid_type_error: 'must be a string',
  })
  .refine(isHttpUrl, 'must be an absolute http:// or https:// URL');

export const addEndpointsSchema = z.object({
  endpoints: z
    .array(z.object({ url: endpointUrl, name: endpointName.optional() }), {
      required_error: 'is required',
      invalid_type_error: 'must be an array',
    })
    .min(1, 'must hold at least one endpoint'),
});

export const removeEndpointsSchema = z.object({
  endpoints: z
    .array(
      z
        .object({ url: z.string().optional(), name: z.string().optional() })
        .refine(e => e.url !== undefined || e.name !== undefined, {
          message: 'needs url or name',
        }),
      {
        required_error: 'is required',
        invalid_type_error: 'must be an array',
      },
    )
    .min(1, 'must hold at least one endpoint'),
});

/** URL groups (the API's topics): named sets of endpoints that publishing fans out to. */
export class UrlGroupService {
  constructor(private readonly stores: Stores, private readonly clock: Clock) {}

  /** Adds endpoints, creating the group when it is new; a known URL gets the new name. */
  addEndpoints(
    name: string,
    request: z.infer<typeof addEndpointsSchema>,
  ): void {
    this.stores.transaction(() => {
      const endpoints = [...(this.stores.urlGroups.get(name)?.endpoints ?? [])];
      for (const added of request.endpoints) {
        const index = endpoints.findIndex(e => e.url === added.url);
        const entry: UrlGroupEndpoint = added.name
          ? { url: added.url, name: added.name }
          : { url: added.url };
        if (index >= 0) endpoints[index] = entry;
        else endpoints.push(entry);
      }
      const names = endpoints.flatMap(e => (e.name ? [e.name] : []));
      const duplicate = names.find((n, i) => names.indexOf(n) !== i);
      if (duplicate) {
        throw badRequest(
          `invalid endpoints: the name "${duplicate}" is used by two endpoints of URL group ${name}`,
        );
      }
      this.stores.urlGroups.save(name, endpoints, this.clock.now());
    });
  }

  /** Removes endpoints by URL or name; a group left without endpoints is deleted. */
  removeEndpoints(
    name: string,
    request: z.infer<typeof removeEndpointsSchema>,
  ): void {
    this.stores.transaction(() => {
      const group = this.get(name);
      let endpoints = group.endpoints;
      request.endpoints.forEach((removed, index) => {
        const matches = (e: UrlGroupEndpoint) =>
          (removed.url === undefined || e.url === removed.url) &&
          (removed.name === undefined || e.name === removed.name);
        if (!endpoints.some(matches)) {
          throw notFound(
            `endpoints[${index}] (${
              removed.url ?? removed.name
            }) is not an endpoint of URL group ${name}`,
          );
        }
        endpoints = endpoints.filter(e => !matches(e));
      });
      if (endpoints.length === 0) this.stores.urlGroups.delete(name);
      else this.stores.urlGroups.save(name, endpoints, this.clock.now());
    });
  }

  get(name: string): StoredUrlGroup {
    const group = this.stores.urlGroups.get(name);
    if (!group) throw notFound(`URL group ${name} not found`);
    return group;
  }

  list(): StoredUrlGroup[] {
    return this.stores.urlGroups.list();
  }

  delete(name: string): void {
    if (!this.stores.urlGroups.delete(name)) {
      throw notFound(`URL group ${name} not found`);
    }
  }

  /**
   * The messages a publish to `destination` creates: one for a URL, one per
   * endpoint for the name of a URL group.
   */
  messageConfigs(
    destination: string,
    headers: Record<string, string>,
  ): { configs: MessageConfig[]; urlGroup: boolean } {
    if (isHttpUrl(destination) || !isIdentifier(destination)) {
      return {
        configs: [parseMessageConfig(destination, headers)],
        urlGroup: false,
      };
    }
    const group = this.stores.urlGroups.get(destination);
    if (!group) {
      throw notFound(
        `URL group ${destination} not found (a destination is a URL or the name of a URL group)`,
      );
    }
    return {
      configs: group.endpoints.map(endpoint => ({
        ...parseMessageConfig(endpoint.url, headers),
        urlGroup: {
          name: group.name,
          ...(endpoint.name ? { endpointName: endpoint.name } : {}),
        },
      })),
      urlGroup: true,
    };
  }
}

/** A URL group as `GET /v2/topics/{name}` returns it. */
export function urlGroupView(group: StoredUrlGroup) {
  return {
    name: group.name,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
    endpoints: group.endpoints,
  };
}
