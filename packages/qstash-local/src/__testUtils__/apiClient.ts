export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary response shapes
}

/** Plain HTTP calls against the server, for status codes and raw shapes. */
export function apiClient(baseUrl: string, token: string) {
  const call = async (
    method: string,
    path: string,
    {
      body,
      headers = {},
      auth = true,
    }: {
      body?: string;
      headers?: Record<string, string>;
      auth?: boolean;
    } = {},
  ): Promise<ApiResponse> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(auth ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body,
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };
  return {
    call,
    get: (path: string, options?: Parameters<typeof call>[2]) =>
      call('GET', path, options),
    post: (path: string, options?: Parameters<typeof call>[2]) =>
      call('POST', path, options),
    patch: (path: string, options?: Parameters<typeof call>[2]) =>
      call('PATCH', path, options),
    delete: (path: string, options?: Parameters<typeof call>[2]) =>
      call('DELETE', path, options),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
