import { InputError } from '@backstage/errors';

/** Options of {@link fetchZip}. */
export interface FetchZipOptions {
  /** Largest download accepted, in bytes. */
  maxBytes: number;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * Releases the body without waiting for the cancellation to settle: some
 * stream sources never settle it, and the caller only needs the error.
 */
function discard(stream: { cancel(): Promise<void> } | null): void {
  stream?.cancel().catch(() => {});
}

function overLimitError(url: string, maxBytes: number, detail: string) {
  return new InputError(
    `The download of ${url} is larger than the limit of ${maxBytes} bytes (${detail})`,
  );
}

/**
 * Downloads a ZIP into memory, refusing anything larger than `maxBytes`:
 * first by its Content-Length, then while streaming (the header can be
 * missing or wrong).
 */
export async function fetchZip(
  url: string,
  options: FetchZipOptions,
): Promise<Uint8Array> {
  const { maxBytes } = options;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new InputError(
      `maxBytes must be a positive whole number, got ${maxBytes}`,
    );
  }
  const fetchImpl = options.fetch ?? fetch;

  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new Error(`The download of ${url} failed: ${String(error)}`, {
      cause: error,
    });
  }
  if (!response.ok) {
    discard(response.body);
    throw new Error(
      `The download of ${url} failed: HTTP ${response.status} ${response.statusText}`.trimEnd(),
    );
  }

  const declaredLength = Number(response.headers.get('content-length'));
  if (declaredLength > maxBytes) {
    discard(response.body);
    throw overLimitError(
      url,
      maxBytes,
      `Content-Length is ${declaredLength} bytes`,
    );
  }
  if (!response.body) {
    return new Uint8Array(0);
  }

  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    received += value.byteLength;
    if (received > maxBytes) {
      discard(reader);
      throw overLimitError(
        url,
        maxBytes,
        `stopped after receiving ${received} bytes`,
      );
    }
    chunks.push(value);
  }

  const zip = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    zip.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return zip;
}
